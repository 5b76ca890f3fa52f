package io.maestro.support.auth;

import io.maestro.client.auth.TokenLedger;
import io.maestro.events.EventCodec;
import io.maestro.events.TokenRecord;
import io.maestro.events.Topics;
import io.maestro.support.connections.ConnectionProblems;
import io.maestro.support.connections.ConnectionSettings;
import io.maestro.support.connections.Engine;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.context.ManagedExecutor;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The revoked tokens, as every replica of every service learns them: each follows the compacted topic
 * {@link Topics#AUTH_TOKENS} from its beginning (assigned every partition, no consumer group, so every replica
 * reads every record), polling every {@value #POLL_MILLIS} ms, so a revocation takes effect everywhere within a
 * second or so. A token whose expiry passed is forgotten: it fails verification anyway.
 *
 * <p>Its Kafka clients get the service's complete Kafka settings (the {@code default-kafka-broker} map Quarkus builds
 * from every {@code kafka.*} setting, e.g. {@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_JAAS_CONFIG}). On a
 * secured Kafka the service may not create the topic: until an administrator has, it says so once and stays not
 * ready. Kafka operations: topic {@value Topics#AUTH_TOKENS} DESCRIBE and READ (CREATE only if it is missing and
 * allowed); no consumer group.
 */
@ApplicationScoped
public class TokenRevocations {
    static final int POLL_MILLIS = 200;
    private final AuthConfig config;
    private final Map<String, Object> kafka;
    private final Map<String, Instant> revoked = new ConcurrentHashMap<>();
    private final CountDownLatch loadedLatch = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    /** What stops the revocations from being loaded, told once until it changes (never a setting's value). */
    private volatile String problem;
    private final ManagedExecutor executor;

    public TokenRevocations(AuthConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka,
                            @ConfigProperty(name = "kafka.bootstrap.servers") Optional<String> bootstrapServers,
                            ManagedExecutor executor) {
        this.config = config;
        this.executor = executor;
        this.kafka = new HashMap<>(kafka);
        bootstrapServers.ifPresent(servers -> this.kafka.putIfAbsent(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers));
        this.kafka.putIfAbsent(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
    }

    void onStart(@Observes StartupEvent event) throws InterruptedException {
        if (!config.enabled()) {
            Log.warn("ACCESS CONTROL IS OFF (maestro.auth.enabled=false): every request acts with every scope; "
                    + "only for a benchmark on a closed machine");
            loadedLatch.countDown();
            return;
        }
        requirePublicKey();
        executor.execute(this::follow); // occupies one thread of the service's pool until shutdown
        if (!loadedLatch.await(config.revocationsStartupWait().toMillis(), TimeUnit.MILLISECONDS)) {
            Log.warnf("the revoked tokens of %s are not loaded after %s; requests with a token answer 503 until they are",
                    Topics.AUTH_TOKENS, config.revocationsStartupWait());
        }
    }

    private static void requirePublicKey() {
        var mp = ConfigProvider.getConfig();
        if (mp.getOptionalValue("mp.jwt.verify.publickey", String.class).isEmpty()
                && mp.getOptionalValue("mp.jwt.verify.publickey.location", String.class).isEmpty()) {
            throw new IllegalStateException("no public key to verify tokens with: set MP_JWT_VERIFY_PUBLICKEY_LOCATION "
                    + "(a PEM file) or MP_JWT_VERIFY_PUBLICKEY (the PEM text) to the suite's public key; ./maestro up does");
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    public boolean loaded() {
        return loadedLatch.getCount() == 0;
    }

    /** Why the revoked tokens are not loaded yet (null once they are, or while nothing went wrong). */
    public String problem() {
        return loaded() ? null : problem;
    }

    public boolean isRevoked(String jti) {
        return revoked.containsKey(jti);
    }

    private void follow() {
        while (running) {
            try {
                createTopic();
                followOnce();
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                report(describe(e));
            }
            if (running) {
                sleep();
            }
        }
    }

    /** What went wrong, naming what to fix; never a setting's value (the JAAS configuration holds a password). */
    static String describe(RuntimeException e) {
        if (e instanceof TokenLedger.TopicMissingException) {
            return e.getMessage() + "; requests with a token answer 503 until it exists; checking every second";
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof TopicAuthorizationException) {
                return "this service's Kafka user may not read " + Topics.AUTH_TOKENS + ": it needs READ and DESCRIBE on topic "
                        + Topics.AUTH_TOKENS + "; retrying every second";
            }
            if (cause instanceof AuthenticationException) {
                // the same sentence as the Kafka readiness check: the setting to fix, never a value
                return ConnectionProblems.explain(Engine.KAFKA, cause, ConnectionSettings.fromConfig()) + "; retrying every second";
            }
        }
        return "cannot follow " + Topics.AUTH_TOKENS + " (" + e.getMessage() + "); retrying every second";
    }

    /** Logs a problem once, and again only when it changes: retried every second, it would flood the log. */
    private void report(String message) {
        if (running && !message.equals(problem)) {
            Log.warn(message);
        }
        problem = message;
    }

    private void followOnce() {
        Map<String, Object> props = new HashMap<>(kafka);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG); // partitions assigned: no consumer group, none to be allowed
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "maestro-token-revocations");
        try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer = kafka;
            List<TopicPartition> partitions = kafka.partitionsFor(Topics.AUTH_TOKENS, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            if (partitions.isEmpty()) {
                throw new IllegalStateException("topic " + Topics.AUTH_TOKENS + " has no partitions yet");
            }
            kafka.assign(partitions);
            kafka.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = kafka.endOffsets(partitions);
            while (running) {
                for (ConsumerRecord<String, byte[]> record : kafka.poll(Duration.ofMillis(POLL_MILLIS))) {
                    apply(record);
                }
                if (!loaded() && partitions.stream().allMatch(p -> kafka.position(p) >= end.get(p))) {
                    Log.infof("%d revoked tokens loaded from %s", revoked.size(), Topics.AUTH_TOKENS);
                    loadedLatch.countDown();
                    problem = null;
                }
                forgetExpired();
            }
        } finally {
            consumer = null;
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return; // a tombstone: the token's record was deleted after it expired
        }
        try {
            TokenRecord token = EventCodec.decode(record.value(), TokenRecord.class);
            if (token.revoked()) {
                revoked.put(token.jti(), token.expiresAt());
            }
        } catch (RuntimeException e) {
            // A state topic, not a work queue: a record no one can read is skipped, never retried.
            Log.warnf("skipping unreadable record at %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
        }
    }

    private void forgetExpired() {
        Instant horizon = Instant.now().minus(Duration.ofMinutes(5)); // beyond any clock skew the verifier allows
        revoked.values().removeIf(expiry -> expiry.isBefore(horizon));
    }

    private void createTopic() {
        try (TokenLedger ledger = TokenLedger.with(kafka)) {
            ledger.createTopic();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
