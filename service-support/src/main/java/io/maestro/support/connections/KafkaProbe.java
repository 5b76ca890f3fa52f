package io.maestro.support.connections;

import io.smallrye.mutiny.Uni;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Asks the cluster for its id with a small admin client made from the service's Kafka client settings. */
final class KafkaProbe implements AutoCloseable {
    private final Map<String, Object> config = new HashMap<>();
    private final int timeoutMs;
    private Admin admin;

    /** @param kafkaConfig client settings without the {@code kafka.} prefix (Quarkus' {@code default-kafka-broker} map) */
    KafkaProbe(Map<String, ?> kafkaConfig, Duration timeout) {
        kafkaConfig.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                config.put(key, value);
            }
        });
        timeoutMs = (int) timeout.toMillis();
        config.putIfAbsent(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "maestro-readiness");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    }

    Uni<String> describeCluster() {
        return Uni.createFrom().completionStage(() -> admin().describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs))
                .clusterId().toCompletionStage());
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(config); // a failure (unreadable trust store, bad JAAS) is explained, and tried again next poll
        }
        return admin;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
            admin = null;
        }
    }
}
