package io.maestro.support.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Access control of a service. The public key that verifies tokens is MicroProfile JWT's own setting,
 * {@code mp.jwt.verify.publickey.location} (a PEM file) or {@code mp.jwt.verify.publickey} (the PEM text).
 */
@ConfigMapping(prefix = "maestro.auth")
public interface AuthConfig {
    /**
     * Whether requests need a token. On by default; off only for a benchmark of the overhead on a closed machine
     * (every request then acts as {@code anonymous} with every scope, and the service warns at startup).
     */
    @WithDefault("true")
    boolean enabled();

    /** Whether {@code /q/metrics} answers without a token; when false it needs {@code metrics:read}. */
    @WithDefault("true")
    boolean metricsOpen();

    /** How long startup waits for the revocation list before serving (requests answer 503 until it is loaded). */
    @WithDefault("15s")
    Duration revocationsStartupWait();
}
