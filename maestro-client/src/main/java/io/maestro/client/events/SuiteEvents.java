package io.maestro.client.events;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Follows topics of the suite, for a program that shows them (the console's overview, {@code maestro events}):
 * partitions are assigned, not subscribed, so there is no consumer group to be allowed and nothing is committed.
 * It starts with the last {@code backlog} records of each partition, then hands over each new one, on a daemon
 * thread, until closed. When Kafka cannot be reached or refuses, or a topic does not exist yet, it says why through
 * {@code onProblem} and tries again every few seconds, resuming where it was (nothing handed over twice).
 */
public final class SuiteEvents implements AutoCloseable {
    private static final Duration RETRY = Duration.ofSeconds(5);
    /** While a topic is missing, how often to look for it again. */
    private static final Duration RECHECK = Duration.ofSeconds(10);

    private final Properties config;
    private final List<String> topics;
    private final int backlog;
    private final Consumer<SuiteEvent> onEvent;
    private final Consumer<String> onProblem;
    private final Map<TopicPartition, Long> positions = new HashMap<>();
    private final Thread thread;
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile KafkaConsumer<String, String> consumer;

    private SuiteEvents(Map<String, String> kafka, List<String> topics, int backlog, Consumer<SuiteEvent> onEvent, Consumer<String> onProblem) {
        this.config = consumerConfig(kafka);
        this.topics = List.copyOf(topics);
        this.backlog = backlog;
        this.onEvent = onEvent;
        this.onProblem = onProblem;
        this.thread = new Thread(this::run, "maestro-suite-events");
        thread.setDaemon(true);
    }

    /**
     * Starts following {@code topics}.
     *
     * @param kafka     the Kafka client settings: {@code bootstrap.servers} and, for a secured Kafka, {@code security.protocol},
     *                  {@code sasl.*}, {@code ssl.*}
     * @param onEvent   each record, in order per partition
     * @param onProblem why nothing arrives (null once records can be read again)
     */
    public static SuiteEvents follow(Map<String, String> kafka, List<String> topics, int backlog, Consumer<SuiteEvent> onEvent,
                                     Consumer<String> onProblem) {
        SuiteEvents events = new SuiteEvents(kafka, topics, backlog, onEvent, onProblem);
        events.thread.start();
        return events;
    }

    /** Consumer settings for reading a topic by assignment: {@code kafka} plus string keys and values, no group, no commits. */
    public static Properties consumerConfig(Map<String, ?> kafka) {
        Properties config = new Properties();
        config.putAll(kafka);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        return config;
    }

    private void run() {
        while (!closed) {
            try (KafkaConsumer<String, String> opened = new KafkaConsumer<>(config)) {
                consumer = opened;
                if (closed) {
                    return;
                }
                follow(opened);
            } catch (WakeupException e) {
                return; // closed
            } catch (KafkaException | IllegalStateException e) {
                if (closed) {
                    return;
                }
                onProblem.accept("cannot read the suite's events from Kafka (" + config.getProperty("bootstrap.servers") + "): " + e.getMessage());
                pause();
            }
        }
    }

    /** Assigns what exists, seeks, and polls; returns to look again for topics that were missing. */
    private void follow(KafkaConsumer<String, String> kafka) {
        List<TopicPartition> partitions = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = kafka.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                missing.add(topic);
            } else {
                infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
            }
        }
        if (partitions.isEmpty()) {
            onProblem.accept("no event yet: the topics " + String.join(", ", missing) + " do not exist yet");
            pause();
            return;
        }
        kafka.assign(partitions);
        Map<TopicPartition, Long> ends = kafka.endOffsets(partitions);
        Map<TopicPartition, Long> beginnings = kafka.beginningOffsets(partitions);
        for (TopicPartition partition : partitions) {
            Long at = positions.get(partition);
            long from = at != null ? at : Math.max(beginnings.get(partition), ends.get(partition) - backlog);
            kafka.seek(partition, from);
            positions.put(partition, from); // a reconnection resumes here, never replays the backlog
        }
        onProblem.accept(missing.isEmpty() ? null : "no event of " + String.join(", ", missing) + " yet: the topic does not exist yet");
        long lookAgainAt = System.nanoTime() + RECHECK.toNanos();
        while (!closed && (missing.isEmpty() || System.nanoTime() < lookAgainAt)) {
            for (ConsumerRecord<String, String> record : kafka.poll(Duration.ofMillis(500))) {
                positions.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
                onEvent.accept(SuiteEvent.of(record));
            }
        }
    }

    private void pause() {
        try {
            closing.await(RETRY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        closing.countDown();
        KafkaConsumer<String, String> current = consumer;
        if (current != null) {
            current.wakeup(); // not an interrupt: the consumer then closes cleanly
        }
        try {
            thread.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
