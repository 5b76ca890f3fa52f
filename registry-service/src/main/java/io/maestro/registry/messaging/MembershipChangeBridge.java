package io.maestro.registry.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.events.EventCodec;
import io.maestro.events.CloudEvents;
import io.maestro.events.EventType;
import io.maestro.registry.store.LogEntry;
import io.maestro.registry.store.RegistryStore;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

/**
 * Publishes every logged registry change to Kafka ({@code maestro.registry.changes}, key = service), in revision
 * order, each revision at most once, with any number of replicas running.
 *
 * <p><b>One active bridge by Redis lease.</b> Replicas compete for a lease in Redis; only the holder publishes,
 * and it stops publishing on its own once it could not renew the lease in time (three quarters of the TTL, on
 * its monotonic clock). What Kafka acknowledged is recorded in Redis, fenced by the lease: per service the
 * highest revision, per partition the offset it covers.
 *
 * <p><b>Taking over.</b> A replica that wins the lease (1) waits until a holder that vanished without releasing
 * can have no record in flight any more (its lease TTL plus its producer's delivery timeout, both counted from
 * its last renewal, in Redis time), (2) reads back the records written after the recorded offsets (those the old
 * holder had sent but not recorded), so nothing already on Kafka is published again, and (3) publishes from
 * there. The same resynchronisation follows any failed send. A clean stop (shutdown) flushes, records and
 * releases the lease, so the next bridge starts at once.
 *
 * <p><b>Nothing lost.</b> Notifications only say "look at service X"; the changes themselves are read from the
 * service's log in Redis, from the revision after the last one published. The bridge reconciles (compares every
 * service's revision with what it published) when it becomes active, when the keyspace subscription is
 * (re-)established, and periodically.
 */
public class MembershipChangeBridge implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MembershipChangeBridge.class);
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(5);
    private static final int SERVICES_PER_READ = 128;
    private static final int CHANGES_PER_READ = 256;
    private static final String CE_TYPE = EventType.SERVICE_MEMBERSHIP_CHANGED.ceType();

    /** What the bridge needs to know; {@code kafka} holds the client settings ({@code bootstrap.servers}, security ...). */
    public record Settings(String replicaId, String topic, String source, Duration leaseTtl, Duration deliveryTimeout,
                           Duration requestTimeout, Duration linger, Duration reconcileInterval, int topicPartitions,
                           short topicReplicationFactor, Map<String, Object> kafka) {
    }

    private final Settings settings;
    private final RegistryStore store;
    private final BridgeStore bridgeStore;
    private final LongConsumer latencyObserver;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Set<String> dirty = new LinkedHashSet<>();
    private final Object ackLock = new Object();
    private final Map<String, Long> ackedRevisions = new HashMap<>();
    private final Map<Integer, Long> ackedOffsets = new HashMap<>();
    private final AtomicLong publishedCount = new AtomicLong();
    private final AtomicLong resyncCount = new AtomicLong();
    private final Thread thread;
    private final java.util.concurrent.ScheduledExecutorService keeper;

    private volatile boolean running = true;
    private volatile boolean leader;
    private volatile long leadershipEpoch;
    private volatile Throwable sendFailure;
    private volatile String lastProblem;
    private boolean reconcileRequested;

    // Bridge thread only.
    private final Map<String, Long> sent = new HashMap<>();
    private KafkaProducer<String, String> producer;
    private boolean resyncNeeded;
    private int failures;
    private long nextCommitNanos;
    /** Acknowledgements are recorded in Redis at most this often (one round trip each); a takeover reads the rest back. */
    private static final long COMMIT_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(25);
    private volatile long renewedAtNanos;
    private volatile boolean leaseLost;
    private long publishNotBeforeNanos;
    private long nextReconcileNanos;

    /**
     * @param latencyObserver told, for every acknowledged record, the milliseconds from the change in Redis to
     *                        Kafka's acknowledgement
     */
    public MembershipChangeBridge(Settings settings, RegistryStore store, BridgeStore bridgeStore, LongConsumer latencyObserver) {
        this.settings = settings;
        this.store = store;
        this.bridgeStore = bridgeStore;
        this.latencyObserver = latencyObserver == null ? ms -> { } : latencyObserver;
        this.thread = new Thread(this::run, "registry-bridge-" + settings.replicaId().substring(0, Math.min(8, settings.replicaId().length())));
        this.thread.setDaemon(true);
        this.keeper = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, thread.getName() + "-lease");
            t.setDaemon(true);
            return t;
        });
    }

    public MembershipChangeBridge start() {
        thread.start();
        long every = renewEveryMillis();
        keeper.scheduleWithFixedDelay(this::renewLease, every, every, TimeUnit.MILLISECONDS);
        return this;
    }

    public boolean isLeader() {
        return leader;
    }

    public long leadershipEpoch() {
        return leadershipEpoch;
    }

    public long publishedCount() {
        return publishedCount.get();
    }

    public long resyncCount() {
        return resyncCount.get();
    }

    public String replicaId() {
        return settings.replicaId();
    }

    /** The last problem met (null when none since it last published). */
    public String lastProblem() {
        return lastProblem;
    }

    /** A change was logged for {@code service}. Non-blocking. Ignored unless this replica is the active bridge. */
    public void onLogAppended(String service) {
        if (!leader) {
            return;
        }
        lock.lock();
        try {
            dirty.add(service);
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Anything may have changed unseen (e.g. the notification subscription was re-established). Non-blocking. */
    public void requestReconcile() {
        lock.lock();
        try {
            reconcileRequested = true;
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Stops cleanly: every record sent is acknowledged and recorded, then the lease is released. */
    @Override
    public void close() {
        running = false;
        signal();
        try {
            thread.join(settings.deliveryTimeout().plusSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Simulates a crash (tests): stops at once, sending nothing more, recording nothing, keeping the lease. */
    public void crash() {
        keeper.shutdownNow();
        crashed = true;
        running = false;
        signal();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private volatile boolean crashed;
    private volatile boolean commitsHeld;
    private final AtomicLong recoveredServices = new AtomicLong();

    /**
     * Tests: keeps Kafka's acknowledgements unrecorded, as if the bridge died between an acknowledgement and
     * recording it (what the next bridge must find by reading the topic back).
     */
    public void holdCommits() {
        commitsHeld = true;
    }

    /** Services whose records a takeover found on Kafka beyond what was recorded (and did not publish again). */
    public long recoveredServices() {
        return recoveredServices.get();
    }

    private void run() {
        while (running) {
            try {
                if (!leader) {
                    tryToLead();
                    if (!leader) {
                        pause(renewEveryMillis());
                        continue;
                    }
                }
                maintainLease();
                if (!leader) {
                    continue;
                }
                if (System.nanoTime() < publishNotBeforeNanos) {
                    pause(Math.min(TimeUnit.NANOSECONDS.toMillis(publishNotBeforeNanos - System.nanoTime()) + 1, renewEveryMillis()));
                    continue;
                }
                if (resyncNeeded || sendFailure != null) {
                    resync();
                    continue;
                }
                boolean reconcile;
                lock.lock();
                try {
                    reconcile = reconcileRequested || System.nanoTime() >= nextReconcileNanos;
                    reconcileRequested = false;
                } finally {
                    lock.unlock();
                }
                if (reconcile) {
                    reconcile();
                }
                boolean more = drain();
                if (System.nanoTime() >= nextCommitNanos) {
                    commitAcknowledged();
                    nextCommitNanos = System.nanoTime() + COMMIT_EVERY_NANOS;
                }
                failures = 0;
                if (!more) {
                    await(Math.min(renewEveryMillis(), 50));
                }
            } catch (RuntimeException e) {
                failures++;
                problem("registry bridge: " + e.getMessage() + (failures > 1 ? " (" + failures + " times in a row)" : ""),
                        failures == 1 ? e : null);
                if (leader) {
                    resyncNeeded = true;
                }
                pause(Math.min(5_000, 200L << Math.min(failures - 1, 5)));
            }
        }
        if (crashed) {
            closeProducer(Duration.ZERO);
            return;
        }
        stepDownCleanly();
        keeper.shutdownNow();
    }

    private void tryToLead() {
        long start = System.nanoTime();
        BridgeStore.Acquired acquired;
        try {
            acquired = bridgeStore.tryAcquire(settings.replicaId(), settings.leaseTtl(), settings.deliveryTimeout());
        } catch (RuntimeException e) {
            problem("cannot reach Redis for the bridge lease: " + e.getMessage(), null);
            return;
        }
        if (acquired == null) {
            return;
        }
        renewedAtNanos = start;
        leaseLost = false;
        leader = true;
        leadershipEpoch = acquired.epoch();
        publishNotBeforeNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(acquired.waitMillis());
        resyncNeeded = true;
        LOG.infof("replica %s is the active registry bridge (epoch %d)%s", settings.replicaId(), acquired.epoch(),
                acquired.waitMillis() > 0 ? "; the previous bridge vanished, publishing starts in " + acquired.waitMillis() + " ms" : "");
    }

    private long renewEveryMillis() {
        return Math.max(10, settings.leaseTtl().dividedBy(3).toMillis());
    }

    /** Steps down when the lease was lost or not renewed within three quarters of its TTL. */
    private void maintainLease() {
        if (leaseLost) {
            leaseLost = false;
            stepDown("another replica holds the bridge lease");
        } else if (!mayPublish()) {
            stepDown("the bridge lease could not be renewed in time");
        }
    }

    /** Runs on the keeper thread every third of the lease TTL, whatever the bridge thread is busy with. */
    private void renewLease() {
        if (!leader || crashed) {
            return;
        }
        long start = System.nanoTime();
        try {
            if (bridgeStore.renew(settings.replicaId(), settings.leaseTtl(), settings.deliveryTimeout())) {
                renewedAtNanos = start;
            } else if (leader) {
                leaseLost = true;
                signal();
            }
        } catch (RuntimeException e) {
            problem("cannot renew the bridge lease: " + e.getMessage(), null);
        }
    }

    private boolean mayPublish() {
        return leader && System.nanoTime() - renewedAtNanos < settings.leaseTtl().toNanos() * 3 / 4;
    }

    private void stepDown(String reason) {
        LOG.warnf("replica %s stops publishing registry changes: %s", settings.replicaId(), reason);
        leader = false;
        closeProducer(Duration.ZERO);
        resyncNeeded = true;
    }

    private void stepDownCleanly() {
        if (!leader) {
            return;
        }
        try {
            if (producer != null && sendFailure == null) {
                producer.flush();
                commitAcknowledged();
            }
            closeProducer(settings.deliveryTimeout());
            if (sendFailure == null && mayPublish()) {
                bridgeStore.release(settings.replicaId());
                LOG.infof("replica %s released the registry bridge lease", settings.replicaId());
            }
        } catch (RuntimeException e) {
            LOG.warnf("clean stop of the registry bridge incomplete (%s); the next bridge waits out the lease", e.getMessage());
        } finally {
            leader = false;
        }
    }

    /**
     * Brings the bridge back in step with Kafka: closes the producer, finds the records published after the recorded
     * offsets, records them, and restarts publishing after them.
     */
    private void resync() {
        resyncCount.incrementAndGet();
        boolean hadProducer = producer != null;
        closeProducer(Duration.ZERO);
        if (hadProducer) {
            // Requests already on the wire may still be appended: let them land before reading back.
            sleep(settings.requestTimeout().toMillis());
        }
        sendFailure = null;
        synchronized (ackLock) {
            ackedRevisions.clear();
            ackedOffsets.clear();
        }
        ensureTopic();
        Map<String, Long> published = bridgeStore.published();
        Map<Integer, Long> offsets = bridgeStore.offsets();
        ReadBack readBack = readBack(offsets);
        Map<String, Long> newer = new HashMap<>();
        readBack.revisions().forEach((service, revision) -> {
            if (revision > published.getOrDefault(service, 0L)) {
                newer.put(service, revision);
                published.put(service, revision);
            }
        });
        if (!newer.isEmpty() || !readBack.lastOffsets().isEmpty()) {
            if (!bridgeStore.commit(settings.replicaId(), newer, readBack.lastOffsets())) {
                stepDown("lost the bridge lease while resynchronising");
                return;
            }
        }
        if (!newer.isEmpty()) {
            recoveredServices.addAndGet(newer.size());
            LOG.infof("registry bridge: %d service(s) had records on Kafka beyond what was recorded; not publishing them again", newer.size());
        }
        sent.clear();
        sent.putAll(published);
        producer = new KafkaProducer<>(producerConfig());
        resyncNeeded = false;
        lock.lock();
        try {
            reconcileRequested = true;
        } finally {
            lock.unlock();
        }
    }

    private record ReadBack(Map<String, Long> revisions, Map<Integer, Long> lastOffsets) {
    }

    /** The highest revision per service among the records after the recorded offsets. */
    private ReadBack readBack(Map<Integer, Long> recorded) {
        Map<String, Long> revisions = new HashMap<>();
        Map<Integer, Long> lastOffsets = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig())) {
            List<PartitionInfo> infos = consumer.partitionsFor(settings.topic(), settings.requestTimeout().multipliedBy(2));
            if (infos == null || infos.isEmpty()) {
                return new ReadBack(revisions, lastOffsets);
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, settings.requestTimeout().multipliedBy(2));
            Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions, settings.requestTimeout().multipliedBy(2));
            Map<TopicPartition, Long> remaining = new HashMap<>();
            for (TopicPartition tp : partitions) {
                long end = ends.getOrDefault(tp, 0L);
                if (end > 0) {
                    lastOffsets.put(tp.partition(), end - 1);
                }
                Long mark = recorded.get(tp.partition());
                // Nothing recorded at all: a fresh registry, nothing of ours on the topic yet.
                long from = mark != null ? mark + 1 : recorded.isEmpty() ? end : begins.getOrDefault(tp, 0L);
                from = Math.max(from, begins.getOrDefault(tp, 0L));
                if (from < end) {
                    consumer.seek(tp, from);
                    remaining.put(tp, end);
                } else {
                    consumer.pause(List.of(tp));
                }
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!remaining.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    Long end = remaining.get(tp);
                    if (end == null || record.offset() >= end || record.key() == null) {
                        continue;
                    }
                    revisionOf(record.value()).ifPresent(revision -> revisions.merge(record.key(), revision, Math::max));
                }
                remaining.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
            }
            if (!remaining.isEmpty()) {
                throw new IllegalStateException("could not read back " + settings.topic() + " partitions " + remaining.keySet());
            }
        }
        return new ReadBack(revisions, lastOffsets);
    }

    private static Optional<Long> revisionOf(String json) {
        try {
            JsonNode node = EventCodec.mapper().readTree(json);
            JsonNode revision = node == null ? null : node.get("revision");
            return revision != null && revision.canConvertToLong() ? Optional.of(revision.asLong()) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** Creates the topic only when it is not listed: with DESCRIBE alone (no CREATE, a secured Kafka) an existing topic is fine. */
    private void ensureTopic() {
        Map<String, Object> config = new HashMap<>(settings.kafka());
        config.put("request.timeout.ms", (int) settings.requestTimeout().toMillis());
        try (Admin admin = Admin.create(config)) {
            if (admin.listTopics().names().get(settings.requestTimeout().toMillis() * 2, TimeUnit.MILLISECONDS).contains(settings.topic())) {
                return;
            }
            Optional<Integer> partitions = settings.topicPartitions() > 0 ? Optional.of(settings.topicPartitions()) : Optional.empty();
            Optional<Short> replication = settings.topicReplicationFactor() > 0 ? Optional.of(settings.topicReplicationFactor()) : Optional.empty();
            admin.createTopics(List.of(new NewTopic(settings.topic(), partitions, replication))).all()
                    .get(settings.requestTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
            LOG.infof("created topic %s", settings.topic());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicAuthorizationException || e.getCause() instanceof ClusterAuthorizationException) {
                // A secured Kafka: topics are the administrator's to create; the bridge needs only DESCRIBE, READ, WRITE.
                throw new IllegalStateException("topic " + settings.topic() + " does not exist (or this Kafka user may not "
                        + "describe it) and this user may not create it: an administrator must create it; the bridge needs "
                        + "DESCRIBE, READ and WRITE on it");
            }
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + settings.topic() + ": " + e.getCause().getMessage(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer in time while checking topic " + settings.topic(), e);
        }
    }

    /** Marks every service whose revision is ahead of what was published. */
    private void reconcile() {
        nextReconcileNanos = System.nanoTime() + settings.reconcileInterval().toNanos();
        Map<String, Long> pending = bridgeStore.pending();
        int behind = 0;
        lock.lock();
        try {
            for (String service : pending.keySet()) {
                dirty.add(service);
                behind++;
            }
        } finally {
            lock.unlock();
        }
        if (behind > 0) {
            LOG.debugf("registry bridge reconcile: %d service(s) ahead of Kafka", behind);
        }
    }

    /** Publishes the logged changes of the marked services; true when more work is waiting. */
    private boolean drain() {
        List<String> batch = new ArrayList<>(SERVICES_PER_READ);
        lock.lock();
        try {
            Iterator<String> it = dirty.iterator();
            while (it.hasNext() && batch.size() < SERVICES_PER_READ) {
                batch.add(it.next());
                it.remove();
            }
        } finally {
            lock.unlock();
        }
        if (batch.isEmpty()) {
            return false;
        }
        Map<String, Long> after = new HashMap<>();
        for (String service : batch) {
            after.put(service, sent.getOrDefault(service, 0L));
        }
        Map<String, List<LogEntry>> changes = store.changesAfter(after, CHANGES_PER_READ).await().atMost(REDIS_TIMEOUT);
        boolean more = false;
        for (Map.Entry<String, List<LogEntry>> entry : changes.entrySet()) {
            String service = entry.getKey();
            for (LogEntry change : entry.getValue()) {
                if (!mayPublish() || sendFailure != null) {
                    requeue(batch);
                    return true;
                }
                if (change.revision() <= sent.getOrDefault(service, 0L)) {
                    continue;
                }
                send(change);
                sent.put(service, change.revision());
            }
            if (entry.getValue().size() >= CHANGES_PER_READ) {
                onLogAppended(service);
                more = true;
            }
        }
        lock.lock();
        try {
            return more || !dirty.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    private void requeue(List<String> services) {
        lock.lock();
        try {
            dirty.addAll(services);
        } finally {
            lock.unlock();
        }
    }

    /** Sends the logged event as is: the scripts wrote the final JSON, so the bridge does no JSON work. */
    private void send(LogEntry change) {
        RecordHeaders headers = new RecordHeaders();
        header(headers, CloudEvents.HEADER_SPEC_VERSION, CloudEvents.SPEC_VERSION);
        header(headers, CloudEvents.HEADER_ID, change.eventId());
        header(headers, CloudEvents.HEADER_TYPE, CE_TYPE);
        header(headers, CloudEvents.HEADER_SOURCE, settings.source());
        header(headers, CloudEvents.HEADER_TIME, change.time());
        header(headers, CloudEvents.HEADER_SUBJECT, change.service());
        header(headers, CloudEvents.HEADER_CONTENT_TYPE, CloudEvents.CONTENT_TYPE_JSON);
        ProducerRecord<String, String> record = new ProducerRecord<>(settings.topic(), null, change.service(), change.json(), headers);
        long occurredAtMillis = change.occurredAtMillis();
        String service = change.service();
        long revision = change.revision();
        producer.send(record, (metadata, failure) -> {
            if (failure != null) {
                sendFailure = failure;
                problem("Kafka did not take revision " + revision + " of " + service + ": " + failure.getMessage(), null);
                signal();
                return;
            }
            synchronized (ackLock) {
                ackedRevisions.merge(service, revision, Math::max);
                ackedOffsets.merge(metadata.partition(), metadata.offset(), Math::max);
            }
            publishedCount.incrementAndGet();
            lastProblem = null;
            latencyObserver.accept(System.currentTimeMillis() - occurredAtMillis);
        });
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private void commitAcknowledged() {
        Map<String, Long> revisions;
        Map<Integer, Long> offsets;
        synchronized (ackLock) {
            if (ackedRevisions.isEmpty() || commitsHeld) {
                return;
            }
            revisions = new HashMap<>(ackedRevisions);
            offsets = new HashMap<>(ackedOffsets);
            ackedRevisions.clear();
            ackedOffsets.clear();
        }
        if (!bridgeStore.commit(settings.replicaId(), revisions, offsets)) {
            stepDown("lost the bridge lease");
        }
    }

    private void closeProducer(Duration timeout) {
        if (producer != null) {
            try {
                producer.close(timeout);
            } catch (RuntimeException e) {
                LOG.debugf("closing the bridge producer: %s", e.getMessage());
            }
            producer = null;
        }
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> config = new HashMap<>(settings.kafka());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        config.put(ProducerConfig.LINGER_MS_CONFIG, (int) settings.linger().toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) settings.requestTimeout().toMillis());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) settings.deliveryTimeout().toMillis());
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.requestTimeout().toMillis());
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "registry-bridge-" + settings.replicaId());
        return config;
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> config = new HashMap<>(settings.kafka());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "registry-bridge-readback-" + settings.replicaId());
        config.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) settings.requestTimeout().toMillis());
        return config;
    }

    private void problem(String message, Throwable cause) {
        lastProblem = message;
        if (cause != null) {
            LOG.warn(message, cause);
        } else {
            LOG.warn(message);
        }
    }

    private void signal() {
        lock.lock();
        try {
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    private void await(long millis) {
        lock.lock();
        try {
            if (dirty.isEmpty() && !reconcileRequested && sendFailure == null && running) {
                wake.await(Math.max(1, millis), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    /** Waits {@code millis} unless stopped, whatever work is waiting. */
    private void pause(long millis) {
        lock.lock();
        try {
            if (running) {
                wake.await(Math.max(1, millis), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
