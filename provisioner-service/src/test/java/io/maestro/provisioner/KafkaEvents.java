package io.maestro.provisioner;

import io.maestro.events.EventCodec;
import io.maestro.events.ProvisioningEvent;
import io.maestro.events.Topics;
import io.maestro.localstack.LocalStackResource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** What the provisioner published to Kafka, for tests that check the events rather than the REST view. */
public final class KafkaEvents {
    private KafkaEvents() {
    }

    /** Every event of {@code cluster} on {@code maestro.provisioning.events} now, in topic order (from the start to the end offsets). */
    public static List<ProvisioningEvent> eventsOf(String cluster) {
        Properties settings = new Properties();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStackResource.stack().kafka().bootstrapServers());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.PROVISIONING_EVENTS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ProvisioningEvent> found = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (cluster.equals(record.key())) {
                        found.add(EventCodec.decode(record.value(), ProvisioningEvent.class));
                    }
                }
            }
            return found;
        }
    }
}
