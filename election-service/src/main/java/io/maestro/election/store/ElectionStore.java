package io.maestro.election.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.maestro.election.CandidateLease;
import io.maestro.election.GroupState;
import io.maestro.election.KeyLease;
import io.maestro.election.store.ElectionScripts.Script;
import io.maestro.support.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The election model in Redis: each method is one Lua transition ({@link ElectionScripts}). Arguments are
 * already validated; {@code tokenHash} is the SHA-256 of the candidate's token (the token itself is never stored);
 * {@code actor} is the subject of the request's bearer token, named by the events the request causes (those caused
 * by a lease running out first name no one).
 */
@ApplicationScoped
public class ElectionStore {
    private final ElectionScripts scripts;
    private final Deadlines deadlines;
    private final ObjectMapper json;

    public ElectionStore(ElectionScripts scripts, Deadlines deadlines, ObjectMapper json) {
        this.scripts = scripts;
        this.deadlines = deadlines;
        this.json = json;
    }

    public Uni<CandidateLease> join(String group, String candidateId, String tokenHash, long ttlMillis, String metadata, List<String> keys,
                                    String actor) {
        List<String> args = new ArrayList<>(keys.size() + 4);
        args.add(candidateId);
        args.add(tokenHash);
        args.add(Long.toString(ttlMillis));
        args.add(metadata);
        args.addAll(keys);
        return run(Script.JOIN, group, candidateId, actor, args).map(ElectionStore::lease);
    }

    public Uni<CandidateLease> heartbeat(String group, String candidateId, String tokenHash, List<String> releasedKeys, String actor) {
        List<String> args = new ArrayList<>(releasedKeys.size() + 2);
        args.add(candidateId);
        args.add(tokenHash);
        args.addAll(releasedKeys);
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

    private Uni<JsonNode> run(Script script, String group, String candidateId, String actor, List<String> args) {
        return scripts.run(script, group, actor, args).map(result -> {
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
                node.get("leaseRemainingMillis").asLong(), node.get("ttlMillis").asLong(), instant(node.get("leaseExpiresAt")));
    }

    private GroupState groupState(JsonNode node) {
        JsonNode l = node.get("leader");
        GroupState.Leader leader = l == null ? null
                : new GroupState.Leader(l.get("candidateId").asText(), l.get("fencingToken").asLong(), instant(l.get("since")));
        List<GroupState.Candidate> candidates = new ArrayList<>();
        for (JsonNode c : list(node.get("candidates"))) {
            List<String> keys = new ArrayList<>();
            list(c.get("keys")).forEach(k -> keys.add(k.asText()));
            candidates.add(new GroupState.Candidate(c.get("candidateId").asText(), instant(c.get("joinedAt")),
                    instant(c.get("leaseExpiresAt")), c.get("ttlMillis").asLong(), metadata(c.get("metadata")), keys));
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
