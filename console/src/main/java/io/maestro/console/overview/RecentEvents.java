package io.maestro.console.overview;

import io.maestro.client.events.SuiteEvent;
import io.maestro.client.events.SuiteEvents;
import io.maestro.console.ConsoleConfig;
import io.maestro.console.session.ConsoleSession;
import io.maestro.events.Topics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The latest events of every topic of the suite, for the overview: read from Kafka as they come (by assignment, no
 * consumer group) with the same {@code kafka.*} settings the services take ({@code KAFKA_BOOTSTRAP_SERVERS}, and on a
 * secured Kafka the console's own user, which may only read the suite's topics). Without those settings the overview
 * says so. Each page sees only the events its token may read.
 */
@ApplicationScoped
public class RecentEvents {
    private static final Logger LOG = Logger.getLogger(RecentEvents.class);
    /** The Kafka client settings read from {@code kafka.<setting>}: where Kafka is, and how to authenticate and trust it. */
    private static final List<String> KAFKA_SETTINGS = List.of("bootstrap.servers", "security.protocol", "sasl.mechanism",
            "sasl.jaas.config", "ssl.truststore.type", "ssl.truststore.location", "ssl.truststore.certificates",
            "ssl.keystore.type", "ssl.keystore.location", "ssl.keystore.key", "ssl.keystore.certificate.chain",
            "ssl.endpoint.identification.algorithm");
    /** What a token needs to see a topic's events: the scope, checked against the event's service, group, entity or cluster. */
    private static final Map<String, String> SCOPE_OF_TOPIC = Map.of(
            Topics.REGISTRY_CHANGES, "registry:read",
            Topics.ELECTION_LEADERSHIP, "election:read",
            Topics.INVENTORY_MUTATIONS, "inventory:read",
            Topics.PROVISIONING_COMMANDS, "provisioner:read",
            Topics.PROVISIONING_EVENTS, "provisioner:read");

    private final Config config;
    private final int perTopic;
    /** Per topic, newest first (by the time Kafka gave each record: partitions arrive in no common order). */
    private final Map<String, List<SuiteEvent>> latest = new LinkedHashMap<>();
    private final AtomicLong version = new AtomicLong();
    private volatile String problem;
    private SuiteEvents events;

    public RecentEvents(Config config, ConsoleConfig console) {
        this.config = config;
        this.perTopic = console.events().perTopic();
        Topics.ALL.forEach(topic -> latest.put(topic, new ArrayList<>()));
    }

    void start(@Observes StartupEvent started) {
        Map<String, String> kafka = new LinkedHashMap<>();
        KAFKA_SETTINGS.forEach(setting -> config.getOptionalValue("kafka." + setting, String.class).ifPresent(v -> kafka.put(setting, v)));
        if (!kafka.containsKey("bootstrap.servers")) {
            problem = "no recent events: the console has no Kafka settings (KAFKA_BOOTSTRAP_SERVERS)";
            return;
        }
        events = SuiteEvents.follow(kafka, Topics.ALL, perTopic, this::add, this::problem);
    }

    void stop(@Observes ShutdownEvent stopped) {
        if (events != null) {
            events.close();
        }
    }

    /** One topic's latest events that {@code session} may see, newest first. */
    public record TopicEvents(String topic, List<SuiteEvent> events) {
    }

    /** Every topic whose scope the session holds, with the events of it the session may see. */
    public List<TopicEvents> visibleTo(ConsoleSession session) {
        List<TopicEvents> visible = new ArrayList<>();
        synchronized (latest) {
            latest.forEach((topic, events) -> {
                String scope = SCOPE_OF_TOPIC.get(topic);
                if (session.may(scope)) {
                    visible.add(new TopicEvents(topic, events.stream().filter(e -> session.may(scope, subject(e))).toList()));
                }
            });
        }
        return visible;
    }

    /** Why no event arrives now (Kafka unreachable or refusing, no settings), or null. */
    public String problem() {
        return problem;
    }

    /** Grows with each new event and each change of problem: a page redraws when it differs from what it drew. */
    public long version() {
        return version.get();
    }

    /** The name a narrowed scope is checked against: the service, the group, the entity or the cluster. */
    static String subject(SuiteEvent event) {
        String key = event.key() == null ? "" : event.key();
        return switch (event.topic()) {
            case Topics.ELECTION_LEADERSHIP -> key.contains("/") ? key.substring(0, key.indexOf('/')) : key;
            case Topics.INVENTORY_MUTATIONS -> event.value().path("entityName").asText(key);
            default -> key;
        };
    }

    private void add(SuiteEvent event) {
        synchronized (latest) {
            List<SuiteEvent> events = latest.get(event.topic());
            if (events == null) {
                return;
            }
            int at = 0;
            while (at < events.size() && events.get(at).timestamp().isAfter(event.timestamp())) {
                at++;
            }
            events.add(at, event);
            if (events.size() > perTopic) {
                events.remove(events.size() - 1);
            }
        }
        version.incrementAndGet();
    }

    private void problem(String why) {
        if (why != null && !why.equals(problem)) {
            LOG.warn(why);
        }
        if (!java.util.Objects.equals(why, problem)) {
            problem = why;
            version.incrementAndGet();
        }
    }
}
