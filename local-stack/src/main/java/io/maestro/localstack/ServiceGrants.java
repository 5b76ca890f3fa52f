package io.maestro.localstack;

import io.maestro.events.Topics;

import java.util.List;

/**
 * What each service may do on Kafka and Redis on a secured stack: the least privilege it needs, in one place. The
 * secured local stack grants exactly this; {@code k8s/secure/} writes the same grants for an operator's own servers.
 *
 * @param service     the service, also its Kafka user, Redis user and consumer-group prefix
 * @param writes      topics it produces to (including the dead-letter topics of what it consumes)
 * @param reads       topics it consumes or reads back (every service: the token ledger, to refuse revoked tokens)
 * @param groupPrefix the prefix of its consumer groups (its name; Quarkus' default group id), or null when it reads by
 *                    assignment only and joins no group
 * @param redisKeys   the Redis key pattern it owns, or null when it keeps nothing in Redis
 * @param redisChannels the Pub/Sub channel patterns it publishes or subscribes to
 * @param redisCommands the Redis commands it (and its Lua scripts) run
 */
public record ServiceGrants(String service, List<String> writes, List<String> reads, String groupPrefix, String redisKeys,
                            List<String> redisChannels, List<String> redisCommands) {

    /** The web console's Kafka user: it reads the suite's topics for the overview's recent events, and nothing else. */
    public static final String CONSOLE = "console";

    /**
     * What Quarkus' Redis client sends on connecting ({@code HELLO 3 AUTH}, else {@code AUTH}; {@code SELECT} off
     * database 0) and its health check ({@code PING}); scripts run by {@code EVALSHA}, {@code EVAL} when not cached.
     */
    private static final List<String> CONNECTION = List.of("hello", "auth", "select", "ping");
    private static final List<String> SCRIPTS = List.of("eval", "evalsha");
    private static final List<String> PUBSUB = List.of("subscribe", "publish");
    /**
     * Reading the keyspace-notification setting, which readiness checks; the stack sets it and no service may change
     * server configuration. Redis cannot narrow CONFIG GET to one setting.
     */
    private static final List<String> READ_CONFIG = List.of("config|get");

    public static final List<ServiceGrants> ALL = List.of(
            new ServiceGrants("registry-service",
                    List.of(Topics.REGISTRY_CHANGES),
                    List.of(Topics.REGISTRY_CHANGES, Topics.AUTH_TOKENS),
                    null,
                    "maestro:registry:*",
                    List.of("maestro:registry:*", "__keyevent@*__:xadd", "__keyevent@*__:expired", "__keyevent@*__:del"),
                    commands("client|info", "del", "exists", "get", "mget", "set", "incr", "pexpire", "time",
                            "hget", "hmget", "hset", "hgetall", "sadd", "smembers", "zadd", "zcount", "zrange", "zrangebyscore",
                            "zrem", "zscore", "xadd", "xrange", "xread")),
            new ServiceGrants("election-service",
                    List.of(Topics.ELECTION_LEADERSHIP),
                    List.of(Topics.AUTH_TOKENS),
                    null,
                    "maestro:election:*",
                    List.of("maestro:election:*", "__keyevent@*__:expired"),
                    commands("client|info", "del", "exists", "get", "set", "incr", "pexpire", "time",
                            "hdel", "hget", "hgetall", "hincrby", "hlen", "hmget", "hset", "sadd", "scard", "sismember",
                            "smembers", "srem", "zadd", "zrange", "zrangebyscore", "zrem", "zscore", "xadd", "xrange",
                            "xrevrange", "xread")),
            new ServiceGrants("inventory-service",
                    List.of(Topics.INVENTORY_MUTATIONS, Topics.PROVISIONING_EVENTS_DLQ),
                    List.of(Topics.PROVISIONING_EVENTS, Topics.AUTH_TOKENS),
                    "inventory-service",
                    null, List.of(), List.of()),
            // The commands topic is written by automation (the administrator's or an operator's user), not the provisioner.
            new ServiceGrants("provisioner-service",
                    List.of(Topics.PROVISIONING_EVENTS, Topics.PROVISIONING_COMMANDS_DLQ),
                    List.of(Topics.PROVISIONING_COMMANDS, Topics.AUTH_TOKENS),
                    "provisioner-service",
                    null, List.of(), List.of()),
            // Not a service: the web console reads every topic of the suite (by assignment, no group), never the token ledger.
            new ServiceGrants(CONSOLE, List.of(), Topics.ALL, null, null, List.of(), List.of()));

    public static ServiceGrants of(String service) {
        return ALL.stream().filter(g -> g.service().equals(service)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no grants for service " + service));
    }

    /** Every topic of the suite, created by the administrator on a secured stack (services may not create topics). */
    public static List<String> allTopics() {
        List<String> topics = new java.util.ArrayList<>();
        for (String topic : Topics.ALL) {
            topics.add(topic);
            topics.add(Topics.deadLetterOf(topic));
        }
        topics.add(Topics.AUTH_TOKENS);
        return topics;
    }

    /** The service's Redis ACL rule (after {@code user <name> on <password>}), or null when it has no Redis user. */
    public String redisRule() {
        if (redisKeys == null) {
            return null;
        }
        StringBuilder rule = new StringBuilder("resetkeys ~").append(redisKeys).append(" resetchannels");
        redisChannels.forEach(channel -> rule.append(" &").append(channel));
        rule.append(" -@all");
        redisCommands.forEach(command -> rule.append(" +").append(command));
        return rule.toString();
    }

    private static List<String> commands(String... data) {
        List<String> all = new java.util.ArrayList<>(CONNECTION);
        all.addAll(SCRIPTS);
        all.addAll(PUBSUB);
        all.addAll(READ_CONFIG);
        all.addAll(List.of(data));
        return List.copyOf(all);
    }
}
