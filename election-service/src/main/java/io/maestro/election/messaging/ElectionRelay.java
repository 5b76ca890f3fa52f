package io.maestro.election.messaging;

import io.maestro.support.relay.EventRelay;
import io.maestro.support.relay.EventRelays;
import io.maestro.support.relay.RedisStreamLog;
import io.maestro.support.relay.RelayLog;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Optional;

/**
 * Relays the election event log (the Redis stream the transitions append to, atomically with the change) to
 * {@code maestro.election.leadership}, key {@code group} or {@code group/key}, with the suite's one relay.
 */
@ApplicationScoped
public class ElectionRelay {
    static final String LEASE = "maestro:election:relay:lease";
    static final String CURSOR = "maestro:election:relay:cursor";

    private final EventRelays relays;
    private final RedisDataSource redis;
    private Optional<EventRelay> relay = Optional.empty();

    public ElectionRelay(EventRelays relays, RedisDataSource redis) {
        this.relays = relays;
        this.redis = redis;
    }

    void start(@Observes StartupEvent startup) {
        relay = relays.start(log());
    }

    /** The event log as the relay sees it (a test builds a second replica's relay from it). */
    public RelayLog log() {
        return new RedisStreamLog("election events", redis, new RedisStreamLog.Keys(LeadershipEventLog.STREAM, CURSOR, LEASE),
                relays.config().leaseTtl(), (id, fields) -> LeadershipEventLog.entry(id, fields).event());
    }

    /** Whether this replica relays the log to Kafka right now. */
    public boolean isRelaying() {
        return relay.map(EventRelay::isHolding).orElse(false);
    }

    /** This replica's relay, when it runs one. */
    public Optional<EventRelay> relay() {
        return relay;
    }
}
