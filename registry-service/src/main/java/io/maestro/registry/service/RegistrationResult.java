package io.maestro.registry.service;

import java.time.Instant;

/**
 * Answer to a registration. {@code token} authorises heartbeats and deregistration of this instance; it is
 * returned here only and never listed.
 */
public record RegistrationResult(String service, String instanceId, long revision, String token, int ttlSeconds,
                                 Instant expiresAt, @com.fasterxml.jackson.annotation.JsonIgnore boolean created) {
}
