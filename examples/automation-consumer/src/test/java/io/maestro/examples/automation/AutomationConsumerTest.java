package io.maestro.examples.automation;

import io.maestro.events.EventCodec;
import io.maestro.events.LeadershipChanged;
import io.maestro.events.MaestroEvent;
import io.maestro.events.ServiceMembershipChanged;
import io.maestro.events.ServiceMembershipChanged.Change;
import io.maestro.events.ServiceMembershipChanged.ChangeType;
import io.maestro.events.ServiceMembershipChanged.ServiceInstance;
import io.maestro.events.Topics;
import io.maestro.localstack.LocalStack;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The example automation follows the registry and election topics of a real Kafka. */
class AutomationConsumerTest {
    @TempDir
    static Path dir;
    static LocalStack stack;
    static KafkaProducer<String, byte[]> producer;

    @BeforeAll
    static void kafka() throws Exception {
        stack = LocalStack.onFreePorts(dir).start();
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(config);
    }

    @AfterAll
    static void stop() {
        producer.close();
        stack.close();
    }

    @Test
    void keepsTheCurrentEndpointsAndLeadersAndSurvivesAPoisonRecord() throws Exception {
        String service = "billing-" + UUID.randomUUID().toString().substring(0, 6);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        AutomationConsumer automation = new AutomationConsumer(stack.kafka().bootstrapServers(), "test-" + service,
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        Thread thread = new Thread(automation);
        thread.start();
        try {
            send(Topics.REGISTRY_CHANGES, membership(service, 1, "http://10.0.0.1"));
            producer.send(new ProducerRecord<>(Topics.REGISTRY_CHANGES, service, "{not json".getBytes(StandardCharsets.UTF_8))).get();
            send(Topics.REGISTRY_CHANGES, membership(service, 2, "http://10.0.0.1", "http://10.0.0.2"));
            send(Topics.REGISTRY_CHANGES, membership(service, 1, "http://stale")); // redelivered old revision
            // Same key, so in order: once revision 3 is applied, the stale record before it has been seen and dropped.
            send(Topics.REGISTRY_CHANGES, membership(service, 3, "http://10.0.0.1", "http://10.0.0.2", "http://10.0.0.3"));
            send(Topics.ELECTION_LEADERSHIP, new LeadershipChanged(UUID.randomUUID().toString(), Instant.now(), service, null,
                    "unit-b", "unit-a", 7, LeadershipChanged.Reason.ELECTED, "unit-b"));

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(automation.endpoints(service)).containsExactly("http://10.0.0.1", "http://10.0.0.2", "http://10.0.0.3");
                assertThat(automation.leader(service)).isEqualTo("unit-b");
                // printed just after the state changed, so looked at within the wait
                assertThat(printed.toString(StandardCharsets.UTF_8))
                        .contains("skipped " + Topics.REGISTRY_CHANGES)
                        .contains("service " + service + " (rev 2").contains("leader of " + service + ": unit-b (token 7");
            });
            assertThat(printed.toString(StandardCharsets.UTF_8)).doesNotContain("http://stale");
        } finally {
            automation.stop();
            thread.join(10_000);
        }
        assertThat(thread.isAlive()).isFalse();
    }

    private static ServiceMembershipChanged membership(String service, long revision, String... endpoints) {
        List<ServiceInstance> instances = new java.util.ArrayList<>();
        for (int i = 0; i < endpoints.length; i++) {
            instances.add(new ServiceInstance("i-" + i, endpoints[i], Map.of(), Instant.now(), Instant.now().plusSeconds(10)));
        }
        return new ServiceMembershipChanged(UUID.randomUUID().toString(), Instant.now(), service, revision,
                new Change(ChangeType.REGISTERED, "i-" + (endpoints.length - 1)), instances, "alice");
    }

    private static void send(String topic, MaestroEvent event) throws Exception {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, event.subject(), EventCodec.encode(event));
        EventCodec.cloudEventHeaders(event, "/maestro/test").forEach((k, v) -> record.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
        producer.send(record).get();
    }
}
