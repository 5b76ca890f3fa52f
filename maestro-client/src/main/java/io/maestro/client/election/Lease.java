package io.maestro.client.election;

import java.time.Duration;

/**
 * Leadership of the group or of a key, as a task sees it: the fencing token of the grant and the instant, on
 * this JVM's monotonic clock ({@link System#nanoTime()}), after which the holder must stop acting. Stamp the token
 * on what the task writes, so a store that remembers the highest token it saw can refuse a stale leader.
 *
 * @param fencingToken  strictly increases with every grant of the same group or key
 * @param deadlineNanos {@code System.nanoTime()} value at which the lease could have run out at the service
 */
public record Lease(long fencingToken, long deadlineNanos) {

    /** Whether the lease still holds now. */
    public boolean isValid() {
        return System.nanoTime() - deadlineNanos < 0;
    }

    /** Time left before the holder must stop (zero once run out). */
    public Duration remaining() {
        long left = deadlineNanos - System.nanoTime();
        return left > 0 ? Duration.ofNanos(left) : Duration.ZERO;
    }
}
