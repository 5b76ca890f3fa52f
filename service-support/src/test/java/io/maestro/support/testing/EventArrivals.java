package io.maestro.support.testing;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * For the benchmark programs: a Kafka consumer on a thread of its own that reads one topic from its beginning and
 * notes when the first record of each event arrived ({@link System#nanoTime()}), so that a program can time "event
 * committed -> Kafka consumer". What names an event is the program's: {@code id} maps a record's key and value to
 * it (null: not an event the program times).
 */
public final class EventArrivals implements AutoCloseable {
    private final Map<String, Long> arrived = new ConcurrentHashMap<>();
    private final Thread thread;

    private EventArrivals(String bootstrapServers, String topic, BiFunction<String, String, String> id) throws InterruptedException {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000));
        CountDownLatch assigned = new CountDownLatch(1);
        thread = new Thread(() -> {
            try (consumer) {
                List<TopicPartition> partitions = List.of();
                while (partitions.isEmpty()) { // the topic appears with its first record, or when the service creates it
                    var infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
                    partitions = infos == null ? List.of() : infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                assigned.countDown();
                while (!Thread.currentThread().isInterrupted()) {
                    var records = consumer.poll(Duration.ofMillis(20));
                    long now = System.nanoTime(); // the whole batch arrived now, however long naming its records takes
                    for (ConsumerRecord<String, String> record : records) {
                        String event = id.apply(record.key(), record.value());
                        if (event != null) {
                            arrived.putIfAbsent(event, now);
                        }
                    }
                }
            } catch (org.apache.kafka.common.errors.InterruptException stop) {
                // closed
            }
        }, "bench-consumer-" + topic);
        thread.setDaemon(true);
        thread.start();
        if (!assigned.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("no partitions of " + topic + " within 60 s");
        }
    }

    /** Starts reading {@code topic}; returns once the consumer has its partitions. */
    public static EventArrivals follow(String bootstrapServers, String topic, BiFunction<String, String, String> id)
            throws InterruptedException {
        return new EventArrivals(bootstrapServers, topic, id);
    }

    /** When the event named {@code id} arrived (nanoTime), or null when it has not (yet). */
    public Long arrival(String id) {
        return arrived.get(id);
    }

    /** Waits until every one of {@code ids} arrived or {@code timeout} passed; true when all did. */
    public boolean awaitAll(List<String> ids, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ids.stream().allMatch(arrived::containsKey)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** One call that commits one event; returns the event's id (as the {@code id} function of {@link #follow} names it). */
    @FunctionalInterface
    public interface Call {
        String make(int index) throws Exception;
    }

    /** What {@link #time} measured, in milliseconds, warm-up left out. */
    public record Timing(List<Double> fromReturn, List<Double> fromSend, List<Double> call, int delivered) {
    }

    /**
     * Makes {@code count} calls one at a time, paced at {@code rate} per second, waits up to 30 s for their events and
     * prints how long each took from the call's answer (the event is committed before it) and from its sending to
     * this consumer. The first fifth is warm-up.
     */
    public Timing time(String what, int count, int rate, Call call) throws Exception {
        List<long[]> calls = new ArrayList<>(count); // sent, returned
        List<String> ids = new ArrayList<>(count);
        long interval = 1_000_000_000L / rate;
        long next = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            next += interval;
            long sent = System.nanoTime();
            ids.add(call.make(i));
            calls.add(new long[] {sent, System.nanoTime()});
        }
        boolean all = awaitAll(ids, Duration.ofSeconds(30));
        List<Double> fromReturn = new ArrayList<>();
        List<Double> fromSend = new ArrayList<>();
        List<Double> round = new ArrayList<>();
        int delivered = 0;
        for (int i = count / 5; i < count; i++) {
            long[] c = calls.get(i);
            round.add((c[1] - c[0]) / 1e6);
            Long at = arrival(ids.get(i));
            if (at != null) {
                delivered++;
                fromReturn.add(Math.max(0, at - c[1]) / 1e6);
                fromSend.add((at - c[0]) / 1e6);
            }
        }
        System.out.printf("%nevent committed -> Kafka consumer: %d %s, one at a time at %d/s (%d timed after warm-up, %d delivered%s; load average %.1f)%n",
                count, what, rate, count - count / 5, delivered, all ? "" : ", NOT ALL",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf("  call returned -> consumer received: %s%n", summary(fromReturn));
        System.out.printf("  call sent     -> consumer received: %s%n", summary(fromSend));
        System.out.printf("  call (REST round trip):             %s%n", summary(round));
        return new Timing(fromReturn, fromSend, round, delivered);
    }

    /** p50, p99 and max of {@code millis} (nearest rank), NaN when empty. */
    public static double[] percentiles(List<Double> millis) {
        if (millis.isEmpty()) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        double[] sorted = millis.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return new double[] {rank(sorted, 50), rank(sorted, 99), sorted[sorted.length - 1]};
    }

    /** "p50 x ms, p99 y ms, max z ms" of {@code millis}. */
    public static String summary(List<Double> millis) {
        double[] p = percentiles(millis);
        return String.format(Locale.ROOT, "p50 %.2f ms, p99 %.2f ms, max %.2f ms", p[0], p[1], p[2]);
    }

    private static double rank(double[] sorted, int percentile) {
        return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1))];
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
