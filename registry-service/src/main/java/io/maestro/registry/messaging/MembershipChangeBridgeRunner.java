package io.maestro.registry.messaging;

import io.maestro.events.Topics;
import io.maestro.registry.config.RegistryConfig;
import io.maestro.registry.notifications.KeyspaceListener;
import io.maestro.registry.notifications.KeyspaceSubscriber;
import io.maestro.registry.store.RegistryStore;
import io.maestro.support.messaging.EventMessages;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Runs this replica's {@link MembershipChangeBridge} and feeds it the keyspace notifications. */
@ApplicationScoped
public class MembershipChangeBridgeRunner implements KeyspaceListener {
    private final RegistryConfig config;
    private final RegistryStore store;
    private final KeyspaceSubscriber subscriber;
    private final Map<String, Object> kafka;
    private final MeterRegistry metrics;
    private final String applicationName;
    private volatile MembershipChangeBridge bridge;

    public MembershipChangeBridgeRunner(RegistryConfig config, RegistryStore store, KeyspaceSubscriber subscriber,
                                        @Identifier("default-kafka-broker") Map<String, Object> kafka, MeterRegistry metrics,
                                        @ConfigProperty(name = "quarkus.application.name") String applicationName,
                                        @ConfigProperty(name = "kafka.bootstrap.servers") Optional<String> bootstrapServers) {
        this.config = config;
        this.store = store;
        this.subscriber = subscriber;
        this.kafka = new HashMap<>(kafka);
        bootstrapServers.ifPresent(servers -> this.kafka.putIfAbsent("bootstrap.servers", servers));
        this.metrics = metrics;
        this.applicationName = applicationName;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.bridge().enabled()) {
            return;
        }
        DistributionSummary latency = DistributionSummary.builder("maestro.registry.bridge.latency")
                .description("Milliseconds from a change in Redis to Kafka acknowledging its record")
                .baseUnit("milliseconds")
                .publishPercentiles(0.5, 0.99)
                .register(metrics);
        bridge = create(subscriber.replicaId(), latency::record).start();
        metrics.gauge("maestro.registry.bridge.leader", this, runner -> runner.isLeader() ? 1 : 0);
        metrics.more().counter("maestro.registry.bridge.published", java.util.List.of(), this, MembershipChangeBridgeRunner::publishedCount);
    }

    /** A bridge with this service's settings (tests create more to play other replicas). */
    public MembershipChangeBridge create(String replicaId, java.util.function.LongConsumer latencyObserver) {
        RegistryConfig.Bridge b = config.bridge();
        MembershipChangeBridge.Settings settings = new MembershipChangeBridge.Settings(replicaId, Topics.REGISTRY_CHANGES,
                EventMessages.sourceOf(applicationName), b.leaseTtl(), b.deliveryTimeout(), b.requestTimeout(), b.linger(),
                b.reconcileInterval(), b.topicPartitions(), b.topicReplicationFactor(), kafka);
        return new MembershipChangeBridge(settings, store, new BridgeStore(store.redis(), store.keys()), latencyObserver);
    }

    void onStop(@Observes ShutdownEvent event) {
        MembershipChangeBridge running = bridge;
        if (running != null) {
            running.close();
        }
    }

    public Optional<MembershipChangeBridge> bridge() {
        return Optional.ofNullable(bridge);
    }

    public boolean isLeader() {
        MembershipChangeBridge running = bridge;
        return running != null && running.isLeader();
    }

    private long publishedCount() {
        MembershipChangeBridge running = bridge;
        return running == null ? 0 : running.publishedCount();
    }

    @Override
    public void onLogAppended(String service) {
        MembershipChangeBridge running = bridge;
        if (running != null) {
            running.onLogAppended(service);
        }
    }

    @Override
    public void onSubscribed() {
        MembershipChangeBridge running = bridge;
        if (running != null) {
            running.requestReconcile();
        }
    }
}
