package io.maestro.registry.store;

import io.maestro.events.EventCodec;
import io.maestro.registry.RegistryKeys;
import io.maestro.registry.ServiceSnapshot;
import io.maestro.registry.ServiceSummary;
import io.maestro.registry.checks.CheckShard;
import io.maestro.registry.config.RegistryConfig;
import io.maestro.support.redis.LuaScript;
import io.maestro.support.redis.LuaScripts;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import io.vertx.mutiny.redis.client.Command;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every read and write of the registry's Redis model. Each state transition (register, update, heartbeat,
 * deregister, expire) is one Lua script, so it is atomic and replicas can share one Redis.
 */
@ApplicationScoped
public class RegistryStore {
    /** The registry's scripts ({@code src/main/resources/lua}), each with {@code prelude.lua} prepended. */
    private static final LuaScripts SCRIPTS = LuaScripts.in(RegistryStore.class, "/lua/").withLib("prelude");
    private static final LuaScript REGISTER = script("register");
    private static final LuaScript HEARTBEAT = script("heartbeat");
    private static final LuaScript DEREGISTER = script("deregister");
    private static final LuaScript EXPIRE = script("expire");
    private static final LuaScript DUE = script("due");
    private static final LuaScript SNAPSHOT = script("snapshot");
    private static final LuaScript SERVICES = script("services");
    private static final LuaScript CHECK_RESULT = script("check-result");
    private static final LuaScript SET_STATE = script("set-state");
    private static final LuaScript CHECKS = script("checks");

    private final Redis redis;
    private final RegistryKeys keys;
    private final int logMaxLength;
    private final String changesMaxLength;
    private final int checkShards;

    public RegistryStore(Redis redis, RegistryConfig config) {
        this.redis = redis;
        this.checkShards = config.checks().shards();
        this.keys = RegistryKeys.of(config);
        this.logMaxLength = config.history().maxLength();
        this.changesMaxLength = Integer.toString(config.changes().maxLength());
    }

    /** Script {@code name} of the registry, loaded once: run with EVALSHA, sent again when Redis lost it. */
    public static LuaScript script(String name) {
        return SCRIPTS.load(name);
    }

    public RegistryKeys keys() {
        return keys;
    }

    public Redis redis() {
        return redis;
    }

    public record RegisterOutcome(int status, long revision, long expiresAtMillis, boolean tokenKept, boolean changed) {
    }

    public record HeartbeatOutcome(int status, long expiresAtMillis, long ttlMillis) {
    }

    public record DeregisterOutcome(int status, long revision) {
    }

    public record DueInstance(String service, String instanceId) {
    }

    /**
     * @param newTokenHash       hash of the token issued if this call creates the instance
     * @param presentedTokenHash hash of the token the caller presented, or "" when none
     * @param actor              the subject of the request's bearer token: the {@code actor} of the change it records
     * @param checksJson         the instance's health checks ({@code []} for none), {@code checkCount} of them
     */
    public Uni<RegisterOutcome> register(String service, String instanceId, String endpoint, String attributesJson,
                                         long ttlMillis, String newTokenHash, String presentedTokenHash, String actor,
                                         String checksJson, int checkCount, long deregisterCriticalAfterMillis) {
        int shard = shard(service);
        return REGISTER.run(redis,
                        List.of(keys.instance(service, instanceId), keys.index(service), keys.revision(service),
                                keys.log(service), keys.due(shard), keys.services(shard), keys.epoch(shard), keys.changes(shard),
                                keys.checks(shard, CheckShard.of(service, instanceId, checkShards))),
                        List.of(service, instanceId, endpoint, attributesJson, Long.toString(ttlMillis), newTokenHash,
                                presentedTokenHash, Integer.toString(logMaxLength), keys.instancePrefix(service), actorArg(actor),
                                changesMaxLength, checksJson, unknownStatuses(checkCount), Long.toString(deregisterCriticalAfterMillis)))
                .map(r -> {
                    int status = r.get(0).toInteger();
                    if (status == 403) {
                        return new RegisterOutcome(403, 0, 0, false, false);
                    }
                    return new RegisterOutcome(status, r.get(1).toLong(), r.get(2).toLong(), r.get(3).toInteger() == 1, r.get(4).toInteger() == 1);
                });
    }

    public Uni<HeartbeatOutcome> heartbeat(String service, String instanceId, String tokenHash) {
        return HEARTBEAT.run(redis,
                        List.of(keys.instance(service, instanceId), keys.index(service), keys.due(shard(service))),
                        List.of(service, instanceId, tokenHash))
                .map(r -> {
                    int status = r.get(0).toInteger();
                    return status == 200
                            ? new HeartbeatOutcome(200, r.get(1).toLong(), r.get(2).toLong())
                            : new HeartbeatOutcome(status, 0, 0);
                });
    }

    /** @param actor the subject of the request's bearer token: the {@code actor} of the change it records */
    public Uni<DeregisterOutcome> deregister(String service, String instanceId, String tokenHash, String actor) {
        int shard = shard(service);
        return DEREGISTER.run(redis,
                        List.of(keys.instance(service, instanceId), keys.index(service), keys.revision(service),
                                keys.log(service), keys.due(shard), keys.epoch(shard), keys.changes(shard)),
                        List.of(service, instanceId, tokenHash, Integer.toString(logMaxLength), keys.instancePrefix(service),
                                actorArg(actor), changesMaxLength))
                .map(r -> {
                    int status = r.get(0).toInteger();
                    return status == 204 ? new DeregisterOutcome(204, r.get(1).toLong()) : new DeregisterOutcome(status, 0);
                });
    }

    private static String unknownStatuses(int count) {
        return count == 0 ? "[]" : "[" + String.join(",", java.util.Collections.nCopies(count, "\"unknown\"")) + "]";
    }

    public record CheckResultOutcome(boolean applied, long revision, boolean deregistered) {
    }

    /**
     * Records the result of one probe of check {@code position} (0-based) of an instance whose checks are
     * {@code checksJson}; not applied when the instance is gone or its checks changed since.
     */
    public Uni<CheckResultOutcome> checkResult(String service, String instanceId, int position, boolean passing, String output,
                                               String checksJson) {
        int shard = shard(service);
        return CHECK_RESULT.run(redis,
                        List.of(keys.instance(service, instanceId), keys.index(service), keys.revision(service), keys.log(service),
                                keys.due(shard), keys.epoch(shard), keys.changes(shard)),
                        List.of(service, instanceId, Integer.toString(position + 1), passing ? "passing" : "critical", output,
                                checksJson, Integer.toString(logMaxLength), keys.instancePrefix(service), changesMaxLength))
                .map(r -> {
                    int status = r.get(0).toInteger();
                    return status == 0 ? new CheckResultOutcome(false, 0, false) : new CheckResultOutcome(true, r.get(1).toLong(), status == 2);
                });
    }

    public record StateOutcome(int status, long revision) {
    }

    /** Sets an instance's state; {@code tokenHash} "" for an operator acting without the instance's token. */
    public Uni<StateOutcome> setState(String service, String instanceId, String tokenHash, String state, String actor) {
        int shard = shard(service);
        return SET_STATE.run(redis,
                        List.of(keys.instance(service, instanceId), keys.index(service), keys.revision(service), keys.log(service),
                                keys.epoch(shard), keys.changes(shard)),
                        List.of(service, instanceId, tokenHash, state, Integer.toString(logMaxLength), keys.instancePrefix(service),
                                actorArg(actor), changesMaxLength))
                .map(r -> r.get(0).toInteger() == 200 ? new StateOutcome(200, r.get(1).toLong()) : new StateOutcome(r.get(0).toInteger(), 0));
    }

    /** The checks of one instance, as stored. */
    public record StoredChecks(String service, String instanceId, String checksJson, List<String> statuses, long deregisterAfterMillis) {
    }

    /** The instances with checks in check shard {@code checkShard}, from every registry shard. */
    public Uni<List<StoredChecks>> checksIn(int checkShard) {
        return eachShard(shard -> CHECKS.run(redis, List.of(keys.checks(shard, checkShard)), List.of(keys.shardPrefix(shard)))
                .map(r -> {
                    List<StoredChecks> found = new ArrayList<>();
                    for (int i = 0; i + 4 < r.size(); i += 5) {
                        List<String> statuses = new ArrayList<>();
                        try {
                            for (var node : EventCodec.mapper().readTree(r.get(i + 3).toString())) {
                                statuses.add(node.asText());
                            }
                        } catch (java.io.IOException e) {
                            throw new IllegalStateException("unreadable check statuses in Redis", e);
                        }
                        found.add(new StoredChecks(r.get(i).toString(), r.get(i + 1).toString(), r.get(i + 2).toString(), statuses,
                                r.get(i + 4).toLong()));
                    }
                    return found;
                }));
    }

    public int checkShards() {
        return checkShards;
    }

    private int shard(String service) {
        return keys.shardOf(service);
    }

    /** Refuses a data set written with another shard count (its services would be looked for in the wrong shards). */
    void verifyShards(@Observes StartupEvent startup, io.vertx.mutiny.core.Vertx vertx) {
        keys.shards().verifyAtStart(redis, vertx, keys.shardCount(), "registry.shards");
    }

    /** A script argument is never null: "" stands for no actor (written as JSON null). */
    private static String actorArg(String actor) {
        return actor == null ? "" : actor;
    }

    /**
     * Processes the disappearance of an instance key (TTL ran out, or deleted); true when it was a change. Nobody's
     * request caused it: the change's actor is null.
     */
    public Uni<Boolean> expire(String service, String instanceId) {
        int shard = shard(service);
        return EXPIRE.run(redis,
                        List.of(keys.instance(service, instanceId), keys.index(service), keys.revision(service),
                                keys.log(service), keys.due(shard), keys.epoch(shard), keys.changes(shard)),
                        List.of(service, instanceId, Integer.toString(logMaxLength), keys.instancePrefix(service), changesMaxLength))
                .map(r -> r.get(0).toInteger() == 1);
    }

    /** Instances whose deadline (Redis server time) has passed, at most {@code limit} per shard. */
    public Uni<List<DueInstance>> due(int limit) {
        return eachShard(shard -> DUE.run(redis, List.of(keys.due(shard)), List.of(keys.shardPrefix(shard), Integer.toString(limit)))
                .map(r -> {
                    List<DueInstance> due = new ArrayList<>();
                    for (int i = 0; i + 1 < r.size(); i += 2) {
                        due.add(new DueInstance(r.get(i).toString(), r.get(i + 1).toString()));
                    }
                    return due;
                }));
    }

    /** {@code read} of every shard, one after the other (a shard is one slot, one script), the results joined. */
    private <T> Uni<List<T>> eachShard(java.util.function.IntFunction<Uni<List<T>>> read) {
        Uni<List<T>> all = Uni.createFrom().item(new ArrayList<>());
        for (int shard = 0; shard < keys.shards().count(); shard++) {
            int current = shard;
            all = all.chain(found -> read.apply(current).map(more -> {
                found.addAll(more);
                return found;
            }));
        }
        return all;
    }

    public Uni<ServiceSnapshot> snapshot(String service) {
        return snapshotJson(service).map(RawSnapshot::snapshot);
    }

    /** A snapshot read atomically, with its JSON (encoded once, for every watcher). */
    public record RawSnapshot(ServiceSnapshot snapshot, String json) {
        public long revision() {
            return snapshot.revision();
        }
    }

    public Uni<RawSnapshot> snapshotJson(String service) {
        return SNAPSHOT.run(redis, List.of(keys.index(service), keys.revision(service)), List.of(keys.instancePrefix(service)))
                .map(r -> {
                    ServiceSnapshot snapshot = new ServiceSnapshot(service, r.get(0).toLong(), MembershipChanges.instances(r.get(1).toString()));
                    return new RawSnapshot(snapshot, EventCodec.encodeToString(snapshot));
                });
    }

    /** Every service, sorted by name. */
    public Uni<List<ServiceSummary>> services() {
        return eachShard(shard -> SERVICES.run(redis, List.of(keys.services(shard)), List.of(keys.shardPrefix(shard)))
                .map(r -> {
                    List<ServiceSummary> services = new ArrayList<>();
                    for (int i = 0; i + 2 < r.size(); i += 3) {
                        services.add(new ServiceSummary(r.get(i).toString(), r.get(i + 1).toLong(), r.get(i + 2).toLong()));
                    }
                    return services;
                }))
                .invoke(services -> services.sort(java.util.Comparator.comparing(ServiceSummary::service)));
    }

    public Uni<Long> revision(String service) {
        return redis.send(Request.cmd(Command.GET).arg(keys.revision(service)))
                .map(r -> r == null ? 0L : r.toLong());
    }

    /** Current revision of each service, one round trip per shard (a Redis Cluster serves a batch from one slot). */
    public Uni<Map<String, Long>> revisions(List<String> services) {
        if (services.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return perShard(services, shardServices -> {
            Request mget = Request.cmd(Command.MGET);
            shardServices.forEach(s -> mget.arg(keys.revision(s)));
            return redis.send(mget).map(r -> {
                Map<String, Long> revisions = new LinkedHashMap<>();
                for (int i = 0; i < shardServices.size(); i++) {
                    Response value = r.get(i);
                    revisions.put(shardServices.get(i), value == null ? 0L : value.toLong());
                }
                return revisions;
            });
        });
    }

    /**
     * The logged changes of each service after the given revision, oldest first, at most {@code count} per
     * service, one round trip per shard.
     */
    public Uni<Map<String, List<LogEntry>>> changesAfter(Map<String, Long> afterRevisions, int count) {
        if (afterRevisions.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return perShard(new ArrayList<>(afterRevisions.keySet()), services -> {
            List<Request> requests = new ArrayList<>(services.size());
            for (String service : services) {
                requests.add(Request.cmd(Command.XRANGE).arg(keys.log(service))
                        .arg((afterRevisions.get(service) + 1) + "-0").arg("+").arg("COUNT").arg(count));
            }
            return redis.batch(requests).map(responses -> {
                Map<String, List<LogEntry>> changes = new LinkedHashMap<>();
                for (int i = 0; i < services.size(); i++) {
                    changes.put(services.get(i), parseEntries(services.get(i), responses.get(i)));
                }
                return changes;
            });
        });
    }

    /** {@code read} of the services of each shard, in parallel, the maps joined in the order of {@code services}. */
    private <T> Uni<Map<String, T>> perShard(List<String> services, java.util.function.Function<List<String>, Uni<Map<String, T>>> read) {
        Map<Integer, List<String>> byShard = new LinkedHashMap<>();
        services.forEach(service -> byShard.computeIfAbsent(shard(service), s -> new ArrayList<>()).add(service));
        List<Uni<Map<String, T>>> reads = byShard.values().stream().map(read).toList();
        return Uni.join().all(reads).andFailFast().map(parts -> {
            Map<String, T> joined = new HashMap<>();
            parts.forEach(joined::putAll);
            Map<String, T> ordered = new LinkedHashMap<>();
            services.forEach(service -> ordered.put(service, joined.get(service)));
            return ordered;
        });
    }

    private static List<LogEntry> parseEntries(String service, Response entries) {
        if (entries == null || entries.size() == 0) {
            return List.of();
        }
        List<LogEntry> changes = new ArrayList<>(entries.size());
        for (int e = 0; e < entries.size(); e++) {
            Response fields = entries.get(e).get(1);
            Map<String, String> values = new HashMap<>();
            for (int f = 0; f + 1 < fields.size(); f += 2) {
                values.put(fields.get(f).toString(), fields.get(f + 1).toString());
            }
            if (values.containsKey("instances")) { // entries logged before this format carry no fields to build from
                changes.add(LogEntry.of(MembershipChanges.decode(values)));
            }
        }
        return changes;
    }
}
