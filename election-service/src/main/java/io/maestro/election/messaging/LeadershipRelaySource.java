package io.maestro.election.messaging;

import io.maestro.election.config.ElectionConfig;
import io.maestro.election.store.ElectionKeys;
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
    private final RedisDataSource redis;
    private final RelayConfig config;
    private final ElectionKeys keys;

    public LeadershipRelaySource(RedisDataSource redis, RelayConfig config, ElectionConfig election) {
        this.redis = redis;
        this.config = config;
        this.keys = ElectionKeys.of(election);
    }

    @Override
    public RelayLog open() {
        return new RedisStreamLog("election events", redis,
                new RedisStreamLog.Keys(keys.events(), keys.key("relay:cursor"), keys.key("relay:lease")),
                config.leaseTtl(), (id, fields) -> LeadershipEventLog.entry(id, fields).event());
    }
}
