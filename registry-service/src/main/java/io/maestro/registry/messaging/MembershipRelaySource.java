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

/**
 * The registry's change stream ({@code P_changes}, written by the scripts atomically with each change), relayed by
 * the suite's one relay to {@code maestro.registry.changes}, key = service, in the order of the changes.
 */
@ApplicationScoped
public class MembershipRelaySource implements RelaySource {
    private final RedisDataSource redis;
    private final RelayConfig config;
    private final RegistryKeys keys;

    public MembershipRelaySource(RedisDataSource redis, RelayConfig config, RegistryConfig registry) {
        this.redis = redis;
        this.config = config;
        this.keys = new RegistryKeys(registry.keyPrefix());
    }

    @Override
    public RelayLog open() {
        return new RedisStreamLog("registry changes", redis, new RedisStreamLog.Keys(keys.changes(), keys.relayCursor(), keys.relayLease()),
                config.leaseTtl(), (id, fields) -> MembershipChanges.decode(fields));
    }
}
