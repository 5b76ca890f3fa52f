package io.maestro.examples.automation;

import io.maestro.events.CloudEvents;
import io.maestro.events.EventCodec;
import io.maestro.events.InvalidEventException;
import io.maestro.events.LeadershipChanged;
import io.maestro.events.ServiceMembershipChanged;
import io.maestro.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Automation on Maestro's topics: keeps the current endpoints of every service and the current leader of
 * every group and key, and prints each change. Run it next to {@code ./maestro up}:
 *
 * <pre>
 * ./mvnw -B -q package -DskipTests -pl examples/automation-consumer -am
 * java -cp "examples/automation-consumer/target/classes:$(cat examples/automation-consumer/target/example.classpath)" \
 *     io.maestro.examples.automation.AutomationConsumer 127.0.0.1:9092
 * </pre>
 *
 * <p>Idempotent by design: a registry record carries the whole instance list with a per-service revision, so
 * an older or repeated revision is skipped; a leadership record carries a fencing token that only grows.
 */
public final class AutomationConsumer implements Runnable, AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final PrintStream out;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Map<String, ServiceMembershipChanged> services = new ConcurrentHashMap<>();
    private final Map<String, LeadershipChanged> leaders = new ConcurrentHashMap<>();

    public AutomationConsumer(String bootstrapServers, String groupId, PrintStream out) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(config);
        this.out = out;
    }

    public static void main(String[] args) {
        String bootstrap = args.length > 0 ? args[0] : System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
        AutomationConsumer automation = new AutomationConsumer(bootstrap, "maestro-automation-example", System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(automation::stop));
        automation.run();
    }

    @Override
    public void run() {
        consumer.subscribe(List.of(Topics.REGISTRY_CHANGES, Topics.ELECTION_LEADERSHIP));
        try {
            while (running.get()) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        apply(record);
                    } catch (InvalidEventException | ClassCastException e) {
                        // A consumer of shared topics must survive a record it can't read.
                        out.printf("skipped %s@%d: %s%n", record.topic(), record.offset(), e.getMessage());
                    }
                }
                consumer.commitSync();
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    void apply(ConsumerRecord<String, byte[]> record) {
        var typeHeader = record.headers().lastHeader(CloudEvents.HEADER_TYPE);
        String type = typeHeader == null ? null : new String(typeHeader.value(), StandardCharsets.UTF_8);
        if (Topics.REGISTRY_CHANGES.equals(record.topic())) {
            ServiceMembershipChanged change = type == null ? EventCodec.decode(record.value(), ServiceMembershipChanged.class)
                    : (ServiceMembershipChanged) EventCodec.decode(type, record.value());
            ServiceMembershipChanged known = services.get(change.service());
            if (known != null && known.revision() >= change.revision()) {
                return; // redelivered or out of date
            }
            services.put(change.service(), change);
            out.printf("service %s (rev %d, %s %s): %s%n", change.service(), change.revision(), change.change().type(),
                    change.change().instanceId(),
                    change.instances().isEmpty() ? "no endpoints" : String.join(", ",
                            change.instances().stream().map(ServiceMembershipChanged.ServiceInstance::endpoint).toList()));
        } else {
            LeadershipChanged change = type == null ? EventCodec.decode(record.value(), LeadershipChanged.class)
                    : (LeadershipChanged) EventCodec.decode(type, record.value());
            LeadershipChanged known = leaders.get(change.subject());
            if (known != null && known.fencingToken() > change.fencingToken()) {
                return;
            }
            leaders.put(change.subject(), change);
            out.printf("leader of %s: %s (token %d, %s)%n", change.subject(), change.leader() == null ? "none" : change.leader(),
                    change.fencingToken(), change.reason());
        }
    }

    /** The current endpoints of a service, as last announced. */
    public List<String> endpoints(String service) {
        ServiceMembershipChanged change = services.get(service);
        return change == null ? List.of() : change.instances().stream().map(ServiceMembershipChanged.ServiceInstance::endpoint).toList();
    }

    /** The current leader of a group ({@code group}) or a key ({@code group/key}); null when none. */
    public String leader(String subject) {
        LeadershipChanged change = leaders.get(subject);
        return change == null ? null : change.leader();
    }

    public void stop() {
        running.set(false);
        consumer.wakeup();
    }

    /** Stops {@link #run()}, which closes the consumer on its own thread (KafkaConsumer is single-threaded). */
    @Override
    public void close() {
        stop();
    }
}
