package io.maestro.suite;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.events.EventCodec;
import io.maestro.events.ProvisioningCommand.GroupSpec;
import io.maestro.events.InventoryMutation;
import io.maestro.events.ProvisioningCommand;
import io.maestro.events.Topics;
import io.maestro.localstack.Directories;
import io.maestro.localstack.LocalStack;
import io.maestro.localstack.ServiceProcess;
import io.maestro.localstack.StackSecurity;
import io.maestro.localstack.Suite;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The suite on a secured stack ({@code ./maestro up --secure}): every connection over TLS, each service with its own
 * Kafka user, Redis user and PostgreSQL role, HTTPS only; a cluster launched by a command on Kafka still runs and
 * appears in the inventory.
 */
class SecuredSuiteTest {
    static final List<String> SERVICES = EndToEndAutomationTest.SERVICES;
    static LocalStack stack;
    static Suite suite;
    static HttpClient https;
    static String adminToken;

    @BeforeAll
    static void startSecuredSuite() throws IOException {
        Path dir = Path.of("target/secured-suite").toAbsolutePath();
        Directories.deleteTree(dir);
        Files.createDirectories(dir);
        stack = LocalStack.securedOnFreePorts(dir).start();
        try {
            suite = new Suite(stack, Path.of("..").toAbsolutePath().normalize(), dir, true).start(Duration.ofSeconds(180));
        } catch (IOException | RuntimeException e) {
            stack.close();
            throw e;
        }
        https = HttpClient.newBuilder().sslContext(stack.security().ca().clientContext()).connectTimeout(Duration.ofSeconds(2)).build();
        adminToken = suite.auth().adminToken();
    }

    @AfterAll
    static void stop() {
        if (suite != null) {
            suite.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void theConsoleServesHttpsOnlyAndItsOverviewShowsTheSuitesEventsReadWithItsOwnReadOnlyKafkaUser() throws Exception {
        String code = UUID.randomUUID().toString().replace("-", "");
        ServiceProcess console = suite.console(true, code, true);
        console.start(Duration.ofSeconds(120));
        assertThat(console.url()).startsWith("https://");
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + console.port() + "/login"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        HttpResponse<String> signedIn = https.send(HttpRequest.newBuilder(URI.create(console.url() + "/login/link?code=" + code)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(signedIn.statusCode()).isEqualTo(303);
        String setCookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(setCookie).contains("Secure").contains("HttpOnly");
        String cookie = setCookie.split(";")[0];
        // the suite registered itself: those changes come back through the console's own Kafka user (SASL_SSL, read only)
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            String overview = https.send(HttpRequest.newBuilder(URI.create(console.url() + "/")).header("Cookie", cookie).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(overview).contains("data-topic=\"" + Topics.REGISTRY_CHANGES + "\"").containsPattern("maestro\\.(registry|election|inventory|provisioner) rev")
                    .doesNotContain("id=\"events-problem\"").doesNotContain("class=\"banner\"");
        });
    }

    @Test
    void everyServiceServesHttpsOnlyAndRegisteredItselfOverHttps() throws Exception {
        String registry = suite.service("registry-service").url();
        for (String service : SERVICES) {
            ServiceProcess process = suite.service(service);
            assertThat(process.url()).startsWith("https://");
            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + process.port() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()))
                    .as(service + " over plain HTTP").isInstanceOf(IOException.class);
            String name = "maestro." + service.replace("-service", "");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode listed = get(registry + "/v1/services/" + name);
                List<String> endpoints = StreamSupport.stream(listed.get("instances").spliterator(), false)
                        .map(instance -> instance.get("endpoint").asText()).toList();
                assertThat(endpoints).as(name).containsExactly(process.url());
            });
        }
    }

    @Test
    void launchCommandOnTheSecuredKafkaRunsAClusterThatAppearsInTheInventory() throws Exception {
        String commandId = "secured-launch-" + UUID.randomUUID();
        ProvisioningCommand launch = ProvisioningCommand.launch(commandId, "guarded",
                List.of(new GroupSpec("node", 2, "local", Map.of())), null, false);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(admin(), new StringSerializer(), new StringSerializer())) {
            ProducerRecord<String, String> record = new ProducerRecord<>(Topics.PROVISIONING_COMMANDS, launch.subject(),
                    EventCodec.encodeToString(launch));
            EventCodec.cloudEventHeaders(launch, "/maestro/suite-tests")
                    .forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
            record.headers().add(ProvisioningCommand.AUTHORIZATION_HEADER,
                    ("Bearer " + suite.auth().token("secured-bot", "provisioner:launch:guarded")).getBytes(StandardCharsets.UTF_8));
            producer.send(record).get(30, TimeUnit.SECONDS);
        }

        String inventory = suite.service("inventory-service").url();
        String query = URLEncoder.encode("type:server and pool:guarded", StandardCharsets.UTF_8);
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            JsonNode servers = get(inventory + "/v1/entities?q=" + query).get("items");
            List<String> names = new ArrayList<>();
            servers.forEach(server -> names.add(server.get("name").asText()));
            assertThat(names).containsExactlyInAnyOrder("guarded-node-0", "guarded-node-1");
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(readAll(Topics.INVENTORY_MUTATIONS).stream()
                .map(r -> EventCodec.decode(r.value(), InventoryMutation.class))
                .filter(m -> m.entityName().startsWith("guarded-")))
                .as("the inventory's mutations, written by its own Kafka user").isNotEmpty()
                .allSatisfy(m -> assertThat(m.actor()).isEqualTo("secured-bot")));
    }

    private static JsonNode get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = https.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
                .header("Authorization", "Bearer " + adminToken).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + url + ": " + response.body()).isEqualTo(200);
        return EventCodec.mapper().readTree(response.body());
    }

    private static Map<String, Object> admin() {
        Map<String, Object> config = new HashMap<>(stack.security().kafkaClientConfig(stack.kafka().bootstrapServers(), StackSecurity.ADMIN));
        config.put("max.block.ms", 20_000);
        return config;
    }

    private static List<ConsumerRecord<String, String>> readAll(String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(admin(), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }
}
