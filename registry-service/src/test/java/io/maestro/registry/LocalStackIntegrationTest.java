package io.maestro.registry;

import io.maestro.localstack.LocalStackResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The service's own Kafka and Redis settings reach the real servers of the local stack. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class LocalStackIntegrationTest {
    @Inject
    RedisDataSource redis;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void aKafkaRecordProducedWithTheServiceSettingsIsConsumed() {
        String topic = "maestro.test.probe-" + UUID.randomUUID();
        try (KafkaCompanion companion = new KafkaCompanion(bootstrapServers)) {
            companion.produceStrings().fromRecords(new ProducerRecord<>(topic, "billing", "hello")).awaitCompletion(Duration.ofSeconds(30));
            var consumed = companion.consumeStrings().fromTopics(topic, 1).awaitCompletion(Duration.ofSeconds(30));
            assertThat(consumed.getFirstRecord().key()).isEqualTo("billing");
            assertThat(consumed.getFirstRecord().value()).isEqualTo("hello");
        }
    }

    @Test
    void aRedisKeySetIsAnnouncedAsAKeyspaceNotification() {
        String key = "maestro:registry:probe:" + UUID.randomUUID();
        List<String> events = new CopyOnWriteArrayList<>();
        var subscriber = redis.pubsub(String.class).subscribeToPattern("__keyspace@*__:" + key, (channel, event) -> events.add(event));
        try {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                redis.value(String.class).set(key, "up");
                assertThat(events).contains("set");
            });
            redis.key().pexpire(key, Duration.ofMillis(100));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events).contains("expired"));
        } finally {
            subscriber.unsubscribe();
        }
    }
}
