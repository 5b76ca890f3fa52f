package io.maestro.support.relay;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How a service relays its event log to Kafka ({@link EventRelays}); environment: {@code MAESTRO_RELAY_ENABLED}, ... */
@ConfigMapping(prefix = "maestro.relay")
public interface RelayConfig {
    /** Whether this replica competes to relay (false: it only writes the log; another replica relays it). */
    @WithDefault("true")
    boolean enabled();

    /** Time to live of the relay's lease (Redis logs); renewed every third of it. A crashed relay's successor takes over within it. */
    @WithDefault("5s")
    Duration leaseTtl();

    /** Most events sent before waiting for Kafka's acknowledgements. */
    @WithDefault("256")
    int batch();

    /** How long Kafka may take to acknowledge a batch before it is sent again (also the producer's delivery timeout). */
    @WithDefault("10s")
    Duration sendTimeout();

    /** Pause after a failure (store or Kafka unreachable) before trying again. */
    @WithDefault("1s")
    Duration retryAfter();
}
