package io.maestro.registry.service;

import java.util.Map;

/** Body of {@code PUT /v1/services/{service}/instances/{instanceId}}. */
public record RegistrationRequest(String endpoint, Map<String, String> attributes, Integer ttlSeconds) {
}
