package io.maestro.registry.service;

import io.maestro.registry.checks.HealthCheck;

import java.util.List;
import java.util.Map;

/**
 * Body of {@code PUT /v1/services/{service}/instances/{instanceId}}. {@code checks}: what the registry probes (at most
 * {@code registry.checks.max-per-instance}); {@code deregisterCriticalAfterSeconds}: deregister the instance once its
 * checks have been critical this long (absent: never).
 */
public record RegistrationRequest(String endpoint, Map<String, String> attributes, Integer ttlSeconds, List<HealthCheck> checks,
                                  Integer deregisterCriticalAfterSeconds) {
    public RegistrationRequest(String endpoint, Map<String, String> attributes, Integer ttlSeconds) {
        this(endpoint, attributes, ttlSeconds, null, null);
    }
}
