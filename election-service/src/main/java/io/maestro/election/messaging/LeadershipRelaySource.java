package io.maestro.election.messaging;

import io.maestro.support.relay.RedisStreamLog;
import io.maestro.support.relay.RelayConfig;
import io.maestro.support.relay.RelayLog;
import io.maestro.support.relay.RelaySource;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The election event log (the Redis stream the transitions append to, atomically with the change), relayed by the
 * suite's one relay to {@code maestro.election.leadership}, key {@code group} or {@code group/key}.
 */
@ApplicationScoped
public class LeadershipRelaySource implements RelaySource {
    static final String LEASE = "maestro:election:relay:lease";
    static final String CURSOR = "maestro:election:relay:cursor";

    private final RedisDataSource redis;
    private final RelayConfig config;

    public LeadershipRelaySource(RedisDataSource redis, RelayConfig config) {
        this.redis = redis;
        this.config = config;
    }

    @Override
    public RelayLog open() {
        return new RedisStreamLog("election events", redis, new RedisStreamLog.Keys(LeadershipEventLog.STREAM, CURSOR, LEASE),
                config.leaseTtl(), (id, fields) -> LeadershipEventLog.entry(id, fields).event());
    }
}
