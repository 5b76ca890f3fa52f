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
import org.apache.kafka.common.errors.TopicExistsException;
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
 */
public final class TokenLedger implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private final Properties kafka;
    private KafkaProducer<String, byte[]> producer;

    /** @param kafka client settings, at least {@code bootstrap.servers} */
    public TokenLedger(Map<String, ?> kafka) {
        this.kafka = new Properties();
        this.kafka.putAll(kafka);
    }

    public static TokenLedger at(String bootstrapServers) {
        return new TokenLedger(Map.of("bootstrap.servers", bootstrapServers));
    }

    /** Creates the compacted topic when it is missing (every service does the same when it starts). */
    public void createTopic() {
        Properties props = new Properties();
        props.putAll(kafka);
        props.putIfAbsent("request.timeout.ms", Long.toString(TIMEOUT.toMillis()));
        props.putIfAbsent("default.api.timeout.ms", Long.toString(TIMEOUT.toMillis()));
        Admin admin = Admin.create(props);
        try {
            admin.createTopics(List.of(new NewTopic(Topics.AUTH_TOKENS, 1, (short) -1)
                            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                    .all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + Topics.AUTH_TOKENS + ": " + e.getCause().getMessage(), e);
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
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
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
