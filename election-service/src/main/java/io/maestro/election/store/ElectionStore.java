package io.maestro.election.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.maestro.election.CandidateLease;
import io.maestro.election.GroupState;
import io.maestro.election.KeyLease;
import io.maestro.election.config.ElectionConfig;
import io.maestro.support.problem.ProblemException;
import io.maestro.support.redis.LuaScript;
import io.maestro.support.redis.LuaScripts;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The election model in Redis: each method is one Lua transition of {@code src/main/resources/election/lua}, sent as
 * {@code lib.lua} + its own body with the key prefix filled in (service-support's {@link LuaScripts}). Each is atomic
 * in Redis, so any number of service replicas may run them. Arguments are already validated; {@code tokenHash} is the SHA-256 of the candidate's token (the token itself is never stored);
 * {@code actor} is the subject of the request's bearer token, named by the events the request causes (those caused
 * by a lease running out first name no one).
 */
@ApplicationScoped
public class ElectionStore {
    /** The transitions. */
    enum Script {
        JOIN("join"), HEARTBEAT("heartbeat"), RESIGN("resign"), ADD_KEY("add-key"), REMOVE_KEY("remove-key"),
        READ_GROUP("read-group"), SWEEP("sweep");

        private final String file;

        Script(String file) {
            this.file = file;
        }
    }

    private final Redis redis;
    private final Deadlines deadlines;
    private final ObjectMapper json;
    private final ElectionKeys keys;
    private final Map<Script, LuaScript> scripts = new EnumMap<>(Script.class);
    private final Nonces nonces = new Nonces();

    public ElectionStore(Redis redis, Deadlines deadlines, ObjectMapper json, ElectionConfig config) {
        this.redis = redis;
        this.deadlines = deadlines;
        this.json = json;
        this.keys = ElectionKeys.of(config);
        LuaScripts source = LuaScripts.in(ElectionStore.class, "/election/lua/").withLib("lib")
                .define("__STREAM_MAXLEN__", config.events().streamMaxLength());
        for (Script script : Script.values()) {
            scripts.put(script, source.load(script.file));
        }
    }

    public ElectionKeys keys() {
        return keys;
    }

    /** What one sweep settled: how many groups, and the millis until the next deadline of any group (-1: none). */
    public record Swept(int groups, long untilNext) {
    }

    /**
     * Settles at most {@code batch} groups per shard whose deadline passed (expired candidates leave, successors are
     * elected), one shard after the other.
     */
    public Uni<Swept> sweep(int batch) {
        Uni<Swept> all = Uni.createFrom().item(new Swept(0, -1));
        for (int shard = 0; shard < keys.shards().count(); shard++) {
            int current = shard;
            all = all.chain(sofar -> call(Script.SWEEP, current, "", null, List.of(Integer.toString(batch))).map(result -> {
                JsonNode node = parse(result);
                JsonNode next = node.get("next");
                long untilNext = next == null ? -1 : Math.max(0, next.asLong());
                return new Swept(sofar.groups() + node.get("swept").asInt(),
                        sofar.untilNext() < 0 ? untilNext : untilNext < 0 ? sofar.untilNext() : Math.min(sofar.untilNext(), untilNext));
            }));
        }
        return all;
    }

    /** Refuses a data set written with another shard count (its groups would be looked for in the wrong shards). */
    void verifyShards(@Observes StartupEvent startup, io.vertx.mutiny.core.Vertx vertx) {
        keys.shards().verifyAtStart(redis, vertx, keys.shardCount(), "election.shards");
    }

    public Uni<CandidateLease> join(String group, String candidateId, String tokenHash, long ttlMillis, String metadata, int priority,
                                    List<String> keys,
                                    String actor) {
        List<String> args = new ArrayList<>(keys.size() + 4);
        args.add(candidateId);
        args.add(tokenHash);
        args.add(Long.toString(ttlMillis));
        args.add(metadata);
        args.add(Integer.toString(priority));
        args.addAll(keys);
        return run(Script.JOIN, group, candidateId, actor, args).map(ElectionStore::lease);
    }

    /** The script's name for the group's seat among released keys (no key name has an '@'). */
    private static final String LEADER_SEAT = "@leader";

    public Uni<CandidateLease> heartbeat(String group, String candidateId, String tokenHash, List<String> releasedKeys,
                                         boolean releasedLeadership, String actor) {
        List<String> args = new ArrayList<>(releasedKeys.size() + 3);
        args.add(candidateId);
        args.add(tokenHash);
        args.addAll(releasedKeys);
        if (releasedLeadership) {
            args.add(LEADER_SEAT);
        }
        return run(Script.HEARTBEAT, group, candidateId, actor, args).map(ElectionStore::lease);
    }

    public Uni<Void> resign(String group, String candidateId, String tokenHash, String actor) {
        return run(Script.RESIGN, group, candidateId, actor, List.of(candidateId, tokenHash)).replaceWithVoid();
    }

    public Uni<CandidateLease> addKey(String group, String candidateId, String tokenHash, String key, int maxKeys, String actor) {
        return run(Script.ADD_KEY, group, candidateId, actor, List.of(candidateId, tokenHash, key, Integer.toString(maxKeys)))
                .map(ElectionStore::lease);
    }

    public Uni<CandidateLease> removeKey(String group, String candidateId, String tokenHash, String key, String actor) {
        return run(Script.REMOVE_KEY, group, candidateId, actor, List.of(candidateId, tokenHash, key)).map(ElectionStore::lease);
    }

    public Uni<GroupState> group(String group) {
        return run(Script.READ_GROUP, group, null, null, List.of()).map(this::groupState);
    }

    /**
     * Every group that has a live candidate, by name: each has a deadline in its shard's {@code _due} set (a lease that
     * ends), so one read per shard. A group whose last candidate left is not listed (its history stays in the log).
     */
    public Uni<java.util.SortedSet<String>> groups() {
        List<Uni<List<String>>> shards = new ArrayList<>();
        for (int shard = 0; shard < keys.shards().count(); shard++) {
            shards.add(redis.send(Request.cmd(Command.ZRANGE).arg(keys.due(shard)).arg(0).arg(-1))
                    .map(response -> {
                        List<String> names = new ArrayList<>();
                        if (response != null) {
                            for (Response name : response) {
                                names.add(name.toString());
                            }
                        }
                        return names;
                    }));
        }
        return Uni.join().all(shards).andFailFast().map(lists -> {
            java.util.SortedSet<String> names = new java.util.TreeSet<>();
            lists.forEach(names::addAll);
            return names;
        });
    }

    private Uni<JsonNode> run(Script script, String group, String candidateId, String actor, List<String> args) {
        return call(script, keys.shardOf(group), group, actor, args).map(result -> {
            JsonNode node = parse(result);
            JsonNode due = node.get("due");
            if (due != null && due.isNumber()) {
                deadlines.dueIn(due.asLong());
            }
            JsonNode error = node.get("error");
            if (error != null) {
                throw rejection(error.asText(), group, candidateId);
            }
            return node;
        });
    }

    /**
     * Runs a script for {@code group} (empty for the sweep) of {@code shard} with a fresh event-id nonce; returns its JSON result.
     * ARGV: group, nonce, actor ('' for none: the sweep, a read), then the script's own arguments.
     */
    private Uni<String> call(Script script, int shard, String group, String actor, List<String> args) {
        List<String> argv = new ArrayList<>(args.size() + 3);
        argv.add(group);
        argv.add(nonces.next());
        argv.add(actor == null ? "" : actor);
        argv.addAll(args);
        return scripts.get(script).run(redis, List.of(keys.shardPrefix(shard)), argv).map(Response::toString);
    }

    /** Unique per call across replicas and restarts: a random id of this process and a counter (cheaper than a UUID each). */
    private static final class Nonces {
        private final String process = UUID.randomUUID().toString();
        private final AtomicLong counter = new AtomicLong();

        String next() {
            return process + "." + counter.incrementAndGet();
        }
    }

    private static RuntimeException rejection(String error, String group, String candidateId) {
        return switch (error) {
            case "not_found" -> ProblemException.notFound("candidate '" + candidateId + "' holds no lease in group '" + group
                    + "' (it ran out or the candidate resigned): join again");
            case "forbidden" -> ProblemException.forbidden("X-Maestro-Token is not the token of candidate '" + candidateId + "'");
            case "conflict" -> ProblemException.conflict("candidate '" + candidateId + "' already holds a lease in group '" + group
                    + "': resign it with its token, or join again once it has run out");
            case "too_many_keys" -> ProblemException.invalid("key", "a candidate declares at most the configured number of keys"
                    + " (election.limits.max-keys-per-candidate)");
            default -> new IllegalStateException("election script answered an unknown error '" + error + "'");
        };
    }

    private static CandidateLease lease(JsonNode node) {
        List<KeyLease> keys = new ArrayList<>();
        for (JsonNode key : list(node.get("keys"))) {
            keys.add(new KeyLease(key.get("key").asText(), key.get("fencingToken").asLong()));
        }
        keys.sort(Comparator.comparing(KeyLease::key));
        List<String> releasing = new ArrayList<>();
        for (JsonNode key : list(node.get("releasing"))) {
            releasing.add(key.asText());
        }
        releasing.sort(null);
        JsonNode token = node.get("fencingToken");
        return new CandidateLease(node.get("leader").asBoolean(), token == null ? null : token.asLong(), keys, releasing,
                node.path("releasingLeadership").asBoolean(false),
                node.get("leaseRemainingMillis").asLong(), node.get("ttlMillis").asLong(), instant(node.get("leaseExpiresAt")));
    }

    private GroupState groupState(JsonNode node) {
        JsonNode l = node.get("leader");
        GroupState.Leader leader = l == null ? null
                : new GroupState.Leader(l.get("candidateId").asText(), l.get("fencingToken").asLong(), instant(l.get("since")),
                l.path("handingOverTo").asText(null));
        List<GroupState.Candidate> candidates = new ArrayList<>();
        for (JsonNode c : list(node.get("candidates"))) {
            List<String> keys = new ArrayList<>();
            list(c.get("keys")).forEach(k -> keys.add(k.asText()));
            candidates.add(new GroupState.Candidate(c.get("candidateId").asText(), instant(c.get("joinedAt")),
                    instant(c.get("leaseExpiresAt")), c.get("ttlMillis").asLong(), metadata(c.get("metadata")), keys,
                    c.path("priority").asInt(0)));
        }
        Map<String, GroupState.KeyHolder> keys = new TreeMap<>();
        JsonNode k = node.get("keys");
        if (k != null) {
            k.fields().forEachRemaining(e -> {
                JsonNode h = e.getValue();
                keys.put(e.getKey(), new GroupState.KeyHolder(text(h.get("owner")),
                        h.has("fencingToken") ? h.get("fencingToken").asLong() : null, instant(h.get("since")),
                        text(h.get("handingOverTo")), instant(h.get("releaseAt"))));
            });
        }
        return new GroupState(node.get("group").asText(), leader, candidates, new LinkedHashMap<>(keys));
    }

    private JsonNode metadata(JsonNode stored) {
        if (stored == null || stored.asText().isEmpty()) {
            return NullNode.getInstance();
        }
        return parse(stored.asText());
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("election script answered invalid JSON", e);
        }
    }

    /** cjson encodes an empty Lua table as an object: treat anything but an array as empty. */
    private static Iterable<JsonNode> list(JsonNode node) {
        return node != null && node.isArray() ? node : List.of();
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static Instant instant(JsonNode millis) {
        return millis == null || millis.isNull() ? null : Instant.ofEpochMilli(millis.asLong());
    }
}
