package io.maestro.support.relay;

import io.maestro.support.messaging.EventMessages;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.context.ManagedExecutor;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Relays every {@link RelaySource} of the service from startup ({@link EventRelay}) with the service's Kafka client
 * settings (the {@code kafka.*} configuration: bootstrap servers, TLS, SASL) and {@link RelayConfig}, and stops the
 * relays cleanly at shutdown.
 */
@ApplicationScoped
public class EventRelays {
    private final Map<String, Object> kafka;
    private final RelayConfig config;
    private final ManagedExecutor executor;
    private final String application;
    private final List<EventRelay> started = new CopyOnWriteArrayList<>();

    public EventRelays(@Identifier("default-kafka-broker") Map<String, Object> kafka,
                       @ConfigProperty(name = "kafka.bootstrap.servers") Optional<String> bootstrapServers,
                       RelayConfig config, ManagedExecutor executor,
                       @ConfigProperty(name = "quarkus.application.name") String application) {
        this.kafka = new HashMap<>(kafka);
        bootstrapServers.ifPresent(servers -> this.kafka.putIfAbsent(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers));
        this.config = config;
        this.executor = executor;
        this.application = application;
    }

    /** Relays {@code log} from this replica (competing with the others), unless {@code maestro.relay.enabled=false}. */
    public Optional<EventRelay> start(RelayLog log) {
        if (!config.enabled()) {
            Log.infof("%s: not relayed to Kafka from this replica (maestro.relay.enabled=false)", log.name());
            return Optional.empty();
        }
        EventRelay relay = create(log).start(executor);
        started.add(relay);
        return Optional.of(relay);
    }

    /** A relay of {@code log} not started yet (tests start a second "replica" of it). */
    public EventRelay create(RelayLog log) {
        Duration holdEvery = Duration.ofMillis(Math.max(1, config.leaseTtl().toMillis() / 3));
        return new EventRelay(log, this::producer,
                new EventRelay.Settings(EventMessages.sourceOf(application), config.batch(), holdEvery, config.sendTimeout(), config.retryAfter()));
    }

    public ManagedExecutor executor() {
        return executor;
    }

    public RelayConfig config() {
        return config;
    }

    void start(@Observes StartupEvent startup, Instance<RelaySource> sources) {
        sources.forEach(source -> source.open().forEach(this::start));
    }

    /** Whether one of this replica's relays holds its log right now (readiness data). */
    public boolean holding() {
        return started.stream().anyMatch(EventRelay::isHolding);
    }

    /** The relays this replica started, oldest first. */
    public List<EventRelay> started() {
        return List.copyOf(started);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        started.forEach(EventRelay::close);
        started.clear();
    }

    /** One producer per relay: acknowledged by every in-sync replica, idempotent, sent at once (the batch is the relay's). */
    private Producer<String, byte[]> producer() {
        Map<String, Object> settings = new HashMap<>(kafka);
        long send = config.sendTimeout().toMillis();
        long request = Math.max(1000, Math.min(4000, send / 2));
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, application + "-relay");
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()); // EventCodec's UTF-8 JSON
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) request);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(send, request));
        settings.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Math.min(send, 5000));
        return new KafkaProducer<>(settings);
    }
}
