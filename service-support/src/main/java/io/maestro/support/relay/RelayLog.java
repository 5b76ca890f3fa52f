package io.maestro.support.relay;

import java.time.Duration;
import java.util.List;

/**
 * A durable log of events that {@link EventRelay} copies to Kafka: a Redis stream ({@link RedisStreamLog}) or a
 * PostgreSQL outbox table ({@link PostgresOutboxLog}). A log decides who may relay it (a lease, a lock) and where
 * relaying stands (a cursor, marks on rows), so that any number of replicas can run the same relay and only one
 * sends at a time.
 */
public interface RelayLog {
    /** What this log holds, for messages ("election events"). */
    String name();

    /**
     * Becomes, or stays, the only relay of this log among all replicas: takes or renews the lease (lock). Called at
     * least every {@link EventRelay.Settings#holdEvery()}. False when another replica holds it or the store can't be
     * reached; then nothing is read or acknowledged.
     */
    boolean hold();

    /**
     * Up to {@code max} events not yet acknowledged, oldest first. When there are none, waits up to {@code wait} for
     * the log to be written (woken by the store: XREAD BLOCK, LISTEN/NOTIFY), then returns what there is (maybe nothing).
     */
    List<PendingEvent> next(int max, Duration wait) throws InterruptedException;

    /**
     * Kafka acknowledged {@code events}, a prefix of what {@link #next} returned: moves past them. False when this
     * replica turned out not to hold the log any more (nothing moved; the holder sends them again).
     */
    boolean acknowledge(List<PendingEvent> events);

    /** Gives the lease (lock) back after a clean stop, so another replica takes over at once. */
    void release();
}
