package io.maestro.registry.service;

/** Body of {@code PUT /v1/services/{service}/instances/{instanceId}/state}: active, draining or maintenance. */
public record InstanceStateRequest(String state) {
}
