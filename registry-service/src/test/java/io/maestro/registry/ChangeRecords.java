package io.maestro.registry;

import io.maestro.events.EventCodec;
import io.maestro.events.ServiceMembershipChanged;
import io.maestro.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A Kafka consumer of {@code maestro.registry.changes} from the beginning, on its own thread, for assertions. */
public final class ChangeRecords implements AutoCloseable {
    public record Received(ConsumerRecord<String, String> record, ServiceMembershipChanged event, long receivedAtNanos) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    public ChangeRecords(String bootstrapServers) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5));
        thread = new Thread(() -> {
            try (consumer) {
                List<TopicPartition> partitions = List.of();
                while (running && partitions.isEmpty()) {
                    var infos = consumer.partitionsFor(Topics.REGISTRY_CHANGES, Duration.ofSeconds(5));
                    partitions = infos == null ? List.of() : infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                    if (partitions.isEmpty()) {
                        sleep(100);
                    }
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                while (running) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(50))) {
                        received.add(new Received(record, EventCodec.decode(record.value(), ServiceMembershipChanged.class), System.nanoTime()));
                    }
                }
            }
        }, "test-change-records");
        thread.setDaemon(true);
        thread.start();
    }

    /** Every event received for {@code service}, in the order received. */
    public List<ServiceMembershipChanged> of(String service) {
        List<ServiceMembershipChanged> events = new ArrayList<>();
        for (Received r : received) {
            if (service.equals(r.record().key())) {
                events.add(r.event());
            }
        }
        return events;
    }

    public List<Received> receivedFor(String service) {
        return received.stream().filter(r -> service.equals(r.record().key())).toList();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
