package io.maestro.localstack;

import io.maestro.events.Topics;

import java.util.List;

/**
 * What each service may do on Kafka and Redis on a secured stack: the least privilege it needs, in one place. The
 * secured local stack grants exactly this; {@code k8s/secure/} writes the same grants for an operator's own servers.
 *
 * @param service     the service, also its Kafka user, Redis user and consumer-group prefix
 * @param writes      topics it produces to (including the dead-letter topics of what it consumes)
 * @param reads       topics it consumes or reads back
 * @param redisKeys   the Redis key pattern it owns, or null when it keeps nothing in Redis
 * @param redisChannels the Pub/Sub channel patterns it publishes or subscribes to
 * @param redisCommands the Redis commands it (and its Lua scripts) run
 */
public record ServiceGrants(String service, List<String> writes, List<String> reads, String redisKeys,
                            List<String> redisChannels, List<String> redisCommands) {

    /** What every service reads: the token ledger, to refuse revoked tokens. */
    public static final List<String> EVERY_SERVICE_READS = List.of(Topics.AUTH_TOKENS);

    /** The commands a Redis client sends on connecting and for its health checks. */
    private static final List<String> CONNECTION = List.of("auth", "hello", "ping", "select", "reset",
            "client|setname", "client|getname", "client|id", "client|info", "echo");
    private static final List<String> SCRIPTS = List.of("eval", "evalsha", "script|load", "script|exists");
    private static final List<String> PUBSUB = List.of("subscribe", "unsubscribe", "psubscribe", "punsubscribe", "publish");
    /** Reading the keyspace-notification setting only: the stack sets it; no service may change server configuration. */
    private static final List<String> READ_CONFIG = List.of("config|get");

    public static final List<ServiceGrants> ALL = List.of(
            new ServiceGrants("registry-service",
                    List.of(Topics.REGISTRY_CHANGES),
                    List.of(Topics.REGISTRY_CHANGES),
                    "maestro:registry:*",
                    List.of("maestro:registry:*", "__keyevent@*__:*"),
                    commands(List.of("del", "exists", "get", "mget", "set", "incr", "expire", "pexpire", "ttl", "pttl", "time",
                            "hget", "hmget", "hset", "hgetall", "sadd", "smembers", "zadd", "zcount", "zrange", "zrangebyscore",
                            "zrem", "zscore", "xadd", "xrange"))),
            new ServiceGrants("election-service",
                    List.of(Topics.ELECTION_LEADERSHIP),
                    List.of(),
                    "maestro:election:*",
                    List.of("maestro:election:*", "__keyevent@*__:expired"),
                    commands(List.of("del", "exists", "get", "set", "incr", "expire", "pexpire", "ttl", "pttl", "time",
                            "hdel", "hget", "hgetall", "hincrby", "hlen", "hmget", "hset", "sadd", "scard", "sismember",
                            "smembers", "srem", "zadd", "zrange", "zrangebyscore", "zrem", "zscore", "xadd", "xrange", "xread"))),
            new ServiceGrants("inventory-service",
                    List.of(Topics.INVENTORY_MUTATIONS, Topics.PROVISIONING_EVENTS_DLQ),
                    List.of(Topics.PROVISIONING_EVENTS),
                    null, List.of(), List.of()),
            new ServiceGrants("provisioner-service",
                    List.of(Topics.PROVISIONING_COMMANDS, Topics.PROVISIONING_EVENTS, Topics.PROVISIONING_COMMANDS_DLQ),
                    List.of(Topics.PROVISIONING_COMMANDS),
                    null, List.of(), List.of()));

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

    /** The consumer groups of the service: every group whose name starts with the service's name. */
    public String groupPrefix() {
        return service;
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

    private static List<String> commands(List<String> data) {
        List<String> all = new java.util.ArrayList<>(CONNECTION);
        all.addAll(SCRIPTS);
        all.addAll(PUBSUB);
        all.addAll(READ_CONFIG);
        all.addAll(data);
        return List.copyOf(all);
    }
}
