package io.maestro.suite;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.events.EventCodec;
import io.maestro.events.ProvisioningCommand;
import io.maestro.events.MaestroEvent;
import io.maestro.events.ProvisioningEvent;
import io.maestro.events.Topics;
import io.maestro.localstack.Directories;
import io.maestro.localstack.LocalStack;
import io.maestro.localstack.ServiceProcess;
import io.maestro.localstack.Suite;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas of every service on ports of their own, sharing one local stack, as a fleet runs them; started once
 * per test JVM. Leases are short so that a killed replica's work is taken over within seconds.
 */
final class Fleet {
    static final int REPLICAS = 2;
    static final Map<String, String> FAST_TAKEOVER = Map.of(
            "PROVISIONER_COMMAND_LEASE", "6s", // renewed every sweep: only a 5 s stall of the runner lets the other take over
            "PROVISIONER_SWEEP_INTERVAL", "1s", // the shortest the Quarkus scheduler runs
            "MAESTRO_SELF_REGISTRATION_TTL", "3s");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static Fleet fleet;
    /** What every request of the tests carries unless it names its own: the suite's admin token. */
    private static volatile String adminToken;

    final LocalStack stack;
    final Suite suite;

    private Fleet(LocalStack stack, Suite suite) {
        this.stack = stack;
        this.suite = suite;
    }

    static synchronized Fleet get() {
        if (fleet == null) {
            try {
                Path dir = Path.of("target/fleet").toAbsolutePath();
                Directories.deleteTree(dir);
                Files.createDirectories(dir);
                LocalStack stack = LocalStack.onFreePorts(dir).start();
                Suite suite;
                try {
                    suite = new Suite(stack, Path.of("..").toAbsolutePath().normalize(), dir, true, REPLICAS, FAST_TAKEOVER)
                            .start(Duration.ofSeconds(180));
                } catch (IOException | RuntimeException e) {
                    stack.close();
                    throw e;
                }
                fleet = new Fleet(stack, suite);
                adminToken = suite.auth().adminToken();
                Runtime.getRuntime().addShutdownHook(new Thread(fleet::close));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return fleet;
    }

    void close() {
        suite.close();
        stack.close();
    }

    /** The suite's admin token, for clients the tests build themselves (the SDK's). */
    static String adminToken() {
        return adminToken;
    }

    List<ServiceProcess> replicas(String service) {
        return suite.replicas(service);
    }

    // --- HTTP ---

    record Reply(int status, JsonNode body, String text) {
    }

    static Reply get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    /** A GET with {@code token} (null: none) instead of the admin token. */
    static Reply get(String url, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        return send(request, token);
    }

    static Reply post(String url, Object body) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(EventCodec.encode(body))));
    }

    static Reply delete(String url, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).DELETE();
        headers.forEach(request::header);
        return send(request);
    }

    static Reply put(String url, Object body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(EventCodec.encode(body)));
        headers.forEach(request::header);
        return send(request);
    }

    private static Reply send(HttpRequest.Builder request) {
        return send(request, adminToken);
    }

    private static Reply send(HttpRequest.Builder request, String token) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            boolean json = response.headers().firstValue("Content-Type").orElse("").contains("json");
            JsonNode body = json && !text.isBlank() ? EventCodec.mapper().readTree(text) : null;
            return new Reply(response.statusCode(), body, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // --- Kafka ---

    /** Publishes an event or command the way any producer of the suite does: JSON value, key, CloudEvents headers. */
    /** Publishes {@code event} as issued with the admin token (in the {@code authorization} header). */
    void publish(String topic, MaestroEvent event) {
        publish(topic, event, adminToken);
    }

    /** Publishes {@code event} with {@code token} in its {@code authorization} header (null: none). */
    void publish(String topic, MaestroEvent event, String token) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            ProducerRecord<String, String> record = new ProducerRecord<>(topic, event.subject(), EventCodec.encodeToString(event));
            EventCodec.cloudEventHeaders(event, "/maestro/suite-tests")
                    .forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
            if (token != null) {
                record.headers().add(ProvisioningCommand.AUTHORIZATION_HEADER, ("Bearer " + token).getBytes(StandardCharsets.UTF_8));
            }
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not publish to " + topic, e);
        }
    }

    /** Every record of a topic from its first offset to its current end (empty while the topic does not exist). */
    List<ConsumerRecord<String, String>> readAll(String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka().bootstrapServers());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            if (partitions.isEmpty()) {
                return records;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end");
                }
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /** The values of a topic's records with this key, decoded, in offset order per partition. */
    <T> List<T> events(String topic, String key, Class<T> type) {
        return readAll(topic).stream().filter(r -> key.equals(r.key())).map(r -> EventCodec.decode(r.value(), type)).toList();
    }

    // --- what the tests read ---

    /** The provisioning events of one command, from {@code maestro.provisioning.events}. */
    List<ProvisioningEvent> commandEvents(String commandId) {
        return readAll(Topics.PROVISIONING_EVENTS).stream()
                .map(r -> EventCodec.decode(r.value(), ProvisioningEvent.class))
                .filter(e -> commandId.equals(e.commandId())).toList();
    }

    /** Waits until the command has {@code status} on the provisioner at {@code provisioner}; FAILED fails at once. */
    static JsonNode awaitCommand(String provisioner, String commandId, String status) {
        JsonNode[] command = new JsonNode[1];
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            command[0] = Fleet.get(provisioner + "/v1/commands/" + commandId).body();
            assertThat(command[0].get("status").asText()).as(command[0].toString()).isNotEqualTo("FAILED");
            return status.equals(command[0].get("status").asText());
        });
        return command[0];
    }

    /** An inventory expression as a query parameter. */
    static String query(String expression) {
        return URLEncoder.encode(expression, StandardCharsets.UTF_8);
    }

    static List<String> names(JsonNode entities) {
        List<String> names = new ArrayList<>();
        entities.forEach(entity -> names.add(entity.get("name").asText()));
        return names;
    }

    /** The first value of an inventory entity's attribute, or null. */
    static String attribute(JsonNode entity, String key) {
        for (JsonNode attribute : entity.get("attributes")) {
            if (key.equals(attribute.get("key").asText())) {
                return attribute.get("value").asText();
            }
        }
        return null;
    }
}
