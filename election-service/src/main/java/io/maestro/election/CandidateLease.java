package io.maestro.election;

import java.time.Instant;
import java.util.List;

/**
 * What a candidate holds right now, as join, heartbeat and key changes report it.
 *
 * @param leader               whether it holds the group's seat
 * @param fencingToken         the token of its group grant; null when it is not the leader
 * @param keys                 the keys it holds, with their tokens (a key it is handing over is not among them)
 * @param releasing            keys it must stop using: a rebalance hands them to another candidate once it
 *                             confirms (heartbeat {@code releasedKeys}) or once its lease as it stood runs out
 * @param releasingLeadership  it led, and must stop acting as leader: a candidate of a higher priority takes the seat
 *                             once it confirms (heartbeat {@code releasedLeadership}) or once its lease as it stood runs out
 * @param leaseRemainingMillis how long its lease lasts from the moment the service handled the request
 * @param ttlMillis            the lease TTL each heartbeat renews
 * @param leaseExpiresAt       when the lease ends on the service's (Redis') clock, for information: a holder
 *                             should count {@code leaseRemainingMillis} on its own monotonic clock instead
 */
public record CandidateLease(boolean leader, Long fencingToken, List<KeyLease> keys, List<String> releasing,
                             boolean releasingLeadership, long leaseRemainingMillis, long ttlMillis, Instant leaseExpiresAt) {
}
