package io.maestro.registry.service;

/** The state an instance is in now, and the service's revision after the change (unchanged when it was in it already). */
public record InstanceStateResult(String service, String instanceId, String state, long revision) {
}
