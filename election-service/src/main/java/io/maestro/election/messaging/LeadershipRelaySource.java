package io.maestro.election.messaging;

import io.maestro.election.config.ElectionConfig;
import io.maestro.election.store.ElectionKeys;
import io.maestro.support.relay.RedisStreamLog;
import io.maestro.support.relay.RelayConfig;
import io.maestro.support.relay.RelayLog;
import io.maestro.support.relay.RelaySource;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * The election event logs, one per shard (the Redis streams the transitions append to, atomically with the change),
 * each relayed by a relay of its own to {@code maestro.election.leadership}, key {@code group} or {@code group/key}
 * (a group's events are all in its shard's stream, in order).
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
    public List<RelayLog> open() {
        return RedisStreamLog.perShard("election events", redis, keys.shards(),
                shard -> new RedisStreamLog.Keys(keys.events(shard), keys.relayCursor(shard), keys.relayLease(shard)),
                config.leaseTtl(), (id, fields) -> LeadershipEventLog.entry(id, fields).event());
    }
}
