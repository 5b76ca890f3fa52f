package io.maestro.client.auth;

import io.maestro.events.EventCodec;
import io.maestro.events.TokenRecord;
import io.maestro.events.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The suite's record of the tokens it issued, on the compacted topic {@link Topics#AUTH_TOKENS} (never the tokens):
 * where a minted token is recorded, a revocation is published (every service follows the topic and refuses the
 * token within a second or so) and {@code maestro token list} reads from. Needs kafka-clients on the classpath.
 *
 * <p>Opened with the complete Kafka client settings ({@link #with(Map)}: {@code security.protocol}, {@code sasl.*},
 * {@code ssl.*} as well as {@code bootstrap.servers}). The topic is created when missing only where the client may
 * create topics; on a secured Kafka an administrator creates it ({@link TopicMissingException} says so otherwise).
 * Operations used: topic {@value Topics#AUTH_TOKENS} DESCRIBE and READ ({@link #list()}), WRITE ({@link #record}),
 * CREATE only when it is missing. No consumer group.
 */
public final class TokenLedger implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private final Properties kafka;
    private KafkaProducer<String, byte[]> producer;

    /** @param kafka client settings, at least {@code bootstrap.servers} */
    public TokenLedger(Map<String, ?> kafka) {
        this.kafka = new Properties();
        kafka.forEach((key, value) -> {
            if (value != null) {
                this.kafka.put(key, value);
            }
        });
    }

    /** The ledger on a plaintext Kafka that needs no other setting. */
    public static TokenLedger at(String bootstrapServers) {
        return new TokenLedger(Map.of("bootstrap.servers", bootstrapServers));
    }

    /** The ledger with the complete client settings ({@code bootstrap.servers}, {@code security.protocol}, {@code sasl.*}, {@code ssl.*} ...). */
    public static TokenLedger with(Map<String, ?> kafka) {
        return new TokenLedger(kafka);
    }

    /** The ledger with the settings of a Kafka client properties file, as loaded. */
    public static TokenLedger with(Properties kafka) {
        Map<String, String> settings = new LinkedHashMap<>();
        kafka.stringPropertyNames().forEach(name -> settings.put(name, kafka.getProperty(name)));
        return new TokenLedger(settings);
    }

    /**
     * The topic is missing and this client may not create it (no CREATE permission, as the services on a secured
     * Kafka): an administrator must create it.
     */
    public static final class TopicMissingException extends IllegalStateException {
        public TopicMissingException() {
            super("topic " + Topics.AUTH_TOKENS + " does not exist and this Kafka user may not create it: an administrator "
                    + "must create it (compacted: cleanup.policy=compact, 1 partition)");
        }
    }

    /**
     * Makes sure the compacted topic exists: creates it when it is missing (every service does the same when it
     * starts), and only then, so a client without CREATE permission works wherever the topic exists.
     *
     * @throws TopicMissingException when the topic is missing and this client may not create it
     */
    public void createTopic() {
        Properties props = new Properties();
        props.putAll(kafka);
        props.putIfAbsent("request.timeout.ms", Long.toString(TIMEOUT.toMillis()));
        props.putIfAbsent("default.api.timeout.ms", Long.toString(TIMEOUT.toMillis()));
        Admin admin = Admin.create(props);
        try {
            if (exists(admin)) {
                return;
            }
            admin.createTopics(List.of(new NewTopic(Topics.AUTH_TOKENS, 1, (short) -1)
                            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                    .all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicAuthorizationException || e.getCause() instanceof ClusterAuthorizationException) {
                throw new TopicMissingException();
            }
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot check or create topic " + Topics.AUTH_TOKENS + ": " + e.getCause().getMessage(), e);
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + kafka.get("bootstrap.servers") + " did not answer in " + TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            admin.close(Duration.ofSeconds(2)); // not the client's default minute when Kafka cannot be reached
        }
    }

    /** Whether the topic exists; asked first, since Kafka refuses a CREATE without permission even for an existing topic. */
    private static boolean exists(Admin admin) throws ExecutionException, InterruptedException, TimeoutException {
        try {
            admin.describeTopics(List.of(Topics.AUTH_TOKENS)).allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false;
            }
            if (e.getCause() instanceof TopicAuthorizationException) {
                throw new IllegalStateException("this Kafka user may not describe topic " + Topics.AUTH_TOKENS
                        + ": it needs DESCRIBE and READ on it (and WRITE to record or revoke tokens)", e.getCause());
            }
            throw e;
        }
    }

    /** Records a token's state (issued, or revoked), and waits until Kafka has it. */
    public void record(TokenRecord token) {
        if (producer == null) {
            createTopic();
            Properties props = new Properties();
            props.putAll(kafka);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(TIMEOUT.toMillis()));
            producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        }
        try {
            producer.send(new ProducerRecord<>(Topics.AUTH_TOKENS, token.jti(), EventCodec.encode(token)))
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot write to " + Topics.AUTH_TOKENS + ": " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not take the record in " + TIMEOUT.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Revokes a token by its id: every replica of every service refuses it from then on. A token the ledger does not
     * know (minted elsewhere with the suite's key) is revoked all the same, for the longest life a token may have.
     *
     * @return the token's record, revoked
     */
    public TokenRecord revoke(String jti, String by) {
        Instant now = Instant.now();
        TokenRecord known = list().get(jti);
        TokenRecord revoked = known != null ? known.revoke(now, by)
                : new TokenRecord(jti, "(unknown)", List.of(), null, now.plus(TokenIssuer.MAX_TTL), now, by);
        record(revoked);
        return revoked;
    }

    /** Every token the ledger knows, by id, each in its latest state, in the order they were first recorded. */
    public Map<String, TokenRecord> list() {
        createTopic();
        Properties props = new Properties();
        props.putAll(kafka);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG); // partitions assigned, no consumer group (none to be allowed)
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        Map<String, TokenRecord> tokens = new LinkedHashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.AUTH_TOKENS, TIMEOUT).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot read " + Topics.AUTH_TOKENS + " to its end in " + TIMEOUT.toSeconds() + " s");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.value() == null) {
                        tokens.remove(record.key());
                        continue;
                    }
                    decode(record.value()).ifPresent(token -> tokens.put(token.jti(), token));
                }
            }
        }
        return tokens;
    }

    private static Optional<TokenRecord> decode(byte[] value) {
        try {
            return Optional.of(EventCodec.decode(value, TokenRecord.class));
        } catch (RuntimeException e) {
            return Optional.empty(); // not a token record: nothing to list
        }
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
