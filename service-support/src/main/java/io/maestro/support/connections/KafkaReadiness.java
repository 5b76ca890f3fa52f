package io.maestro.support.connections;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.util.Map;

/**
 * Readiness of every service's Kafka connection, with the same client settings as its channels ({@code kafka.*}).
 * It replaces the Kafka extension's check ({@code quarkus.kafka.health.enabled=false}), which waits without a bound
 * and reports the exception's text, class name included; DOWN here names the setting to fix
 * ({@link ConnectionProblems}).
 */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements AsyncHealthCheck {
    private final KafkaProbe probe;
    private final ConnectionReadiness readiness;

    public KafkaReadiness(@Identifier("default-kafka-broker") Instance<Map<String, Object>> kafkaConfig) {
        this.probe = new KafkaProbe(kafkaConfig.isResolvable() ? kafkaConfig.get() : Map.of(), ConnectionReadiness.DEFAULT_TIMEOUT);
        this.readiness = ConnectionReadiness.of(Engine.KAFKA, probe::describeCluster);
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return readiness.check();
    }

    @PreDestroy
    void close() {
        probe.close();
    }
}
