package io.maestro.registry.service;

import java.time.Instant;

/** Answer to a heartbeat: the instance lives until {@code expiresAt} unless it beats again. */
public record HeartbeatResult(String service, String instanceId, int ttlSeconds, Instant expiresAt) {
}
