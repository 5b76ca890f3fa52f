package io.maestro.registry.messaging;

import io.maestro.registry.RegistryKeys;
import io.maestro.registry.config.RegistryConfig;
import io.maestro.registry.store.MembershipChanges;
import io.maestro.support.relay.RedisStreamLog;
import io.maestro.support.relay.RelayConfig;
import io.maestro.support.relay.RelayLog;
import io.maestro.support.relay.RelaySource;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * The registry's change streams, one per shard ({@code P{k}_changes}, written by the scripts atomically with each
 * change), each relayed by a relay of its own to {@code maestro.registry.changes}, key = service, in the order of the
 * changes (a service's changes are all in its shard's stream).
 */
@ApplicationScoped
public class MembershipRelaySource implements RelaySource {
    private final RedisDataSource redis;
    private final RelayConfig config;
    private final RegistryKeys keys;

    public MembershipRelaySource(RedisDataSource redis, RelayConfig config, RegistryConfig registry) {
        this.redis = redis;
        this.config = config;
        this.keys = RegistryKeys.of(registry);
    }

    @Override
    public List<RelayLog> open() {
        return RedisStreamLog.perShard("registry changes", redis, keys.shards(),
                shard -> new RedisStreamLog.Keys(keys.changes(shard), keys.relayCursor(shard), keys.relayLease(shard)),
                config.leaseTtl(), (id, fields) -> MembershipChanges.decode(fields));
    }
}
