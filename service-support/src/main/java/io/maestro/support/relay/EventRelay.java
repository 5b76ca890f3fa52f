package io.maestro.support.relay;

import io.maestro.events.EventCodec;
import io.maestro.support.messaging.EventMessages;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Copies a durable {@link RelayLog} to Kafka, the one way every service publishes its events.
 *
 * <p>Every replica runs the relay; the log lets one of them hold it at a time (a Redis lease, a PostgreSQL
 * advisory lock). The holder reads a batch after the cursor, sends it through one producer (which keeps the order
 * of records per partition), waits for Kafka's acknowledgements and only then moves the cursor past what was
 * acknowledged. So nothing is lost: an event leaves the log's "pending" part only once Kafka has it. Delivery is
 * at least once: a holder that dies between Kafka's acknowledgement and moving the cursor, or that is cut off from
 * its store while sending, has the next holder send those events again, with the same {@code eventId}. That is
 * what DESIGN section 3 promises, and every consumer is idempotent by {@code eventId} or by the per-key
 * revision/version/fencing token, which also makes a late record of a vanished holder harmless. The relay therefore
 * never waits out delivery timeouts on a takeover, nor reads the topic back.
 *
 * <p>The loop runs on an executor of the service's ({@code ManagedExecutor}); it blocks only in the log's own
 * wait (XREAD BLOCK, LISTEN) and while Kafka acknowledges a batch.
 */
public final class EventRelay implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventRelay.class);

    /**
     * @param source     the CloudEvents {@code ce_source} of the records
     * @param batch      most events sent before waiting for their acknowledgements
     * @param holdEvery  how often the lease (lock) is renewed: well inside its time to live
     * @param sendTimeout how long Kafka may take to acknowledge a batch before it is sent again
     * @param retryAfter pause after a failure (store or Kafka unreachable) before trying again
     */
    public record Settings(String source, int batch, Duration holdEvery, Duration sendTimeout, Duration retryAfter) {
    }

    private final RelayLog log;
    private final Supplier<Producer<String, byte[]>> producers;
    private final Settings settings;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong published = new AtomicLong();
    private Producer<String, byte[]> producer;
    private volatile boolean running;
    private volatile boolean abandoned;
    private volatile boolean holding;
    private volatile String lastProblem;

    public EventRelay(RelayLog log, Supplier<Producer<String, byte[]>> producers, Settings settings) {
        this.log = log;
        this.producers = producers;
        this.settings = settings;
    }

    /** Starts relaying on {@code executor} (the loop occupies one of its threads until {@link #close()}). */
    public EventRelay start(Executor executor) {
        running = true;
        executor.execute(this::run);
        return this;
    }

    /** Whether this replica relays the log right now. */
    public boolean isHolding() {
        return holding;
    }

    /** Events this replica has had acknowledged by Kafka. */
    public long published() {
        return published.get();
    }

    /** The last problem met, or null when the last pass went well. */
    public String lastProblem() {
        return lastProblem;
    }

    public String name() {
        return log.name();
    }

    /** Stops cleanly: the batch in hand is acknowledged and recorded, then the lease (lock) is handed back. */
    @Override
    public void close() {
        running = false;
        awaitStop();
    }

    /**
     * Stops as a crashed process would (tests): nothing more is recorded and the lease (lock) is kept until it runs
     * out, so the next holder sends again whatever was not recorded.
     */
    public void abandon() {
        abandoned = true;
        running = false;
        awaitStop();
    }

    private void awaitStop() {
        try {
            if (!stopped.await(settings.sendTimeout().plus(settings.holdEvery()).plusSeconds(2).toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("relay of %s did not stop in time", log.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        long nextHold = 0;
        try {
            while (running) {
                try {
                    long now = System.nanoTime();
                    if (now - nextHold >= 0) {
                        boolean held = log.hold();
                        if (held != holding) {
                            LOG.infof(held ? "this replica now relays %s to Kafka" : "this replica no longer relays %s to Kafka", log.name());
                        }
                        holding = held;
                        nextHold = now + settings.holdEvery().toNanos();
                    }
                    if (!holding) {
                        sleep(Duration.ofNanos(Math.max(0, nextHold - System.nanoTime())));
                        continue;
                    }
                    Duration wait = Duration.ofNanos(Math.max(0, nextHold - System.nanoTime()));
                    List<PendingEvent> batch = log.next(settings.batch(), wait);
                    if (!batch.isEmpty() && !abandoned) {
                        relay(batch);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (RuntimeException e) {
                    if (!running) {
                        return;
                    }
                    lastProblem = e.getMessage();
                    holding = false; // confirmed again by the next hold()
                    LOG.warnf("relay of %s: %s; retrying in %s", log.name(), e.getMessage(), settings.retryAfter());
                    try {
                        sleep(settings.retryAfter());
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    nextHold = System.nanoTime();
                }
            }
        } finally {
            finish();
        }
    }

    /** Sends {@code batch} and records what Kafka acknowledged, up to the first failure. */
    private void relay(List<PendingEvent> batch) {
        if (producer == null) {
            producer = producers.get();
        }
        List<Future<RecordMetadata>> sends = new ArrayList<>(batch.size());
        for (PendingEvent pending : batch) {
            sends.add(producer.send(record(pending)));
        }
        long deadline = System.nanoTime() + settings.sendTimeout().toNanos();
        int acknowledged = 0;
        RuntimeException failure = null;
        for (Future<RecordMetadata> send : sends) {
            try {
                awaitAcknowledgement(send, deadline);
                acknowledged++;
            } catch (ExecutionException | TimeoutException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                failure = new IllegalStateException("Kafka did not acknowledge " + log.name() + " event "
                        + batch.get(acknowledged).event().eventId() + " (" + describe(cause) + ")", cause);
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = new IllegalStateException("interrupted while Kafka acknowledged " + log.name(), e);
                break;
            }
        }
        if (acknowledged > 0 && !abandoned) {
            if (log.acknowledge(batch.subList(0, acknowledged))) {
                published.addAndGet(acknowledged);
            } else {
                holding = false;
                LOG.warnf("relay of %s: another replica took over while this one sent; it sends the unrecorded events again", log.name());
            }
        }
        if (failure != null) {
            // A producer that timed out may still hold records; a fresh one starts clean.
            closeProducer(Duration.ZERO);
            throw failure;
        }
        lastProblem = null;
    }

    /** Waits for one acknowledgement until {@code deadline}, renewing the lease meanwhile so a slow Kafka costs no takeover. */
    private void awaitAcknowledgement(Future<RecordMetadata> send, long deadline)
            throws ExecutionException, TimeoutException, InterruptedException {
        while (true) {
            long left = deadline - System.nanoTime();
            long slice = Math.min(left, settings.holdEvery().toNanos());
            try {
                send.get(Math.max(1, slice), TimeUnit.NANOSECONDS);
                return;
            } catch (TimeoutException e) {
                if (slice >= left) {
                    throw e;
                }
                if (!log.hold()) {
                    holding = false;
                    throw new TimeoutException("another replica took over the relay while Kafka was slow to acknowledge");
                }
            }
        }
    }

    private ProducerRecord<String, byte[]> record(PendingEvent pending) {
        return new ProducerRecord<>(pending.topic(), null, pending.event().subject(), EventCodec.encode(pending.event()),
                EventMessages.headers(pending.event(), settings.source()));
    }

    private void finish() {
        try {
            if (!abandoned) {
                if (holding) {
                    try {
                        log.release();
                    } catch (RuntimeException e) {
                        LOG.debugf("relay of %s: handing the lease back failed: %s", log.name(), e.getMessage());
                    }
                }
                closeProducer(settings.sendTimeout());
            } else {
                closeProducer(Duration.ZERO);
            }
        } finally {
            holding = false;
            stopped.countDown();
        }
    }

    private void closeProducer(Duration timeout) {
        if (producer != null) {
            try {
                producer.close(timeout);
            } catch (RuntimeException e) {
                LOG.debugf("relay of %s: closing the producer: %s", log.name(), e.getMessage());
            }
            producer = null;
        }
    }

    private void sleep(Duration duration) throws InterruptedException {
        long until = System.nanoTime() + duration.toNanos();
        while (running && System.nanoTime() - until < 0) {
            Thread.sleep(Math.min(50, Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime()))));
        }
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }
}
