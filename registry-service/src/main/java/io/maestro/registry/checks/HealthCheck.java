package io.maestro.registry.checks;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One check of an instance, as declared at registration: exactly one of {@code http} (a URL; 2xx is passing) and
 * {@code tcp} ({@code host:port}; a connection is passing). Stored with every default filled in, so that the same
 * checks are the same JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HealthCheck(String http, String tcp, Integer intervalSeconds, Integer timeoutSeconds, Boolean tlsSkipVerify) {
    public static final int DEFAULT_INTERVAL_SECONDS = 10;
    public static final int DEFAULT_TIMEOUT_SECONDS = 2;
    public static final int MAX_INTERVAL_SECONDS = 3600;

    /** The host the check connects to. */
    public String target() {
        return http != null ? http : tcp;
    }

    public long intervalMillis() {
        return intervalSeconds * 1000L;
    }

    public long timeoutMillis() {
        return timeoutSeconds * 1000L;
    }
}
