package io.maestro.suite;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.events.EventCodec;
import io.maestro.events.InventoryMutation;
import io.maestro.events.ProvisioningCommand;
import io.maestro.events.ProvisioningCommand.GroupSpec;
import io.maestro.events.ProvisioningEvent;
import io.maestro.events.Topics;
import io.maestro.localstack.ServiceProcess;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The suite as one system: every replica announces itself in the registry, and a cluster launched by a command on
 * Kafka runs and appears in the inventory, and leaves it terminated when destroyed, with no call between services
 * other than their topics.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(2)
class EndToEndAutomationTest {
    static final List<String> SERVICES = List.of("registry-service", "election-service", "inventory-service", "provisioner-service");
    static final List<String> VOLTRON = List.of("voltron-master-0", "voltron-worker-0", "voltron-worker-1");
    static final Fleet FLEET = Fleet.get();

    @Test
    @Order(1)
    void everyReplicaRegistersItselfAsMaestroServiceWithItsUrlAndVersion() {
        String registry = FLEET.replicas("registry-service").get(0).url();
        for (String service : SERVICES) {
            String name = "maestro." + service.replace("-service", "");
            List<String> urls = FLEET.replicas(service).stream().map(ServiceProcess::url).toList();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode listed = Fleet.get(registry + "/v1/services/" + name).body();
                List<String> endpoints = StreamSupport.stream(listed.get("instances").spliterator(), false)
                        .map(instance -> instance.get("endpoint").asText()).toList();
                assertThat(endpoints).as(name).containsExactlyInAnyOrderElementsOf(urls);
                listed.get("instances").forEach(instance ->
                        assertThat(instance.at("/attributes/version").asText()).isEqualTo(System.getProperty("maestro.version")));
            });
        }
    }

    @Test
    @Order(1)
    void everyPackagedServiceAnswersAMalformedUriWithAProblemNotAnEmptyBadRequest() throws Exception {
        // Quarkus's own URI check is handed to service-support while configuration loads (UriValidationHandover):
        // proven here on the fast-jars as they run, not only in @QuarkusTest.
        for (String service : SERVICES) {
            int port = FLEET.replicas(service).get(0).port();
            for (String target : List.of("/v1/x%zz", "/v1/a%2Fb/%2E%2E", "/v1/has%20space/x^y")) {
                String answer = rawGet(port, target);
                assertThat(answer).as(service + " GET " + target)
                        .startsWith("HTTP/1.1 400")
                        .containsIgnoringCase("content-type: application/problem+json")
                        .contains("\"status\":400");
            }
        }
    }

    private static String rawGet(int port, String target) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    @Order(2)
    void launchCommandOnKafkaRunsVoltronAndTheInventoryShowsItsServersAndWhoLaunchedIt() {
        String commandId = "e2e-launch-" + UUID.randomUUID();
        FLEET.publish(Topics.PROVISIONING_COMMANDS, ProvisioningCommand.launch(commandId, "voltron",
                        List.of(new GroupSpec("master", 1, "local", Map.of()), new GroupSpec("worker", 2, "local", Map.of())), null, false),
                FLEET.suite.auth().token("e2e-bot", "provisioner:launch:voltron"));

        String inventory = FLEET.replicas("inventory-service").get(0).url();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode servers = Fleet.get(inventory + "/v1/entities?q=" + Fleet.query("type:server and pool:voltron")).body().get("items");
            assertThat(Fleet.names(servers)).containsExactlyInAnyOrderElementsOf(VOLTRON);
            servers.forEach(server -> {
                assertThat(Fleet.attribute(server, "status")).isEqualTo("running");
                assertThat(Fleet.attribute(server, "address")).matches("127\\.0\\.0\\.1");
                assertThat(Fleet.attribute(server, "provider")).isEqualTo("local");
            });
        });

        // The provisioner's nodes are the inventory's servers. Events go out before the provisioner records what they
        // say, so its own view may trail the inventory by a moment.
        String provisioner = FLEET.replicas("provisioner-service").get(1).url();
        Fleet.awaitCommand(provisioner, commandId, "SUCCEEDED");
        JsonNode nodes = Fleet.get(provisioner + "/v1/clusters/voltron/nodes").body();
        assertThat(nodes).hasSize(3);
        nodes.forEach(node -> assertThat(node.get("status").asText()).isEqualTo("running"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<InventoryMutation> created = FLEET.readAll(Topics.INVENTORY_MUTATIONS).stream()
                    .map(r -> EventCodec.decode(r.value(), InventoryMutation.class))
                    .filter(m -> m.op() == InventoryMutation.Op.CREATED && VOLTRON.contains(m.entityName())).toList();
            assertThat(created).extracting(InventoryMutation::entityName).containsExactlyInAnyOrderElementsOf(VOLTRON);
            assertThat(created).as("the inventory's mutations name who launched the servers")
                    .extracting(InventoryMutation::actor).containsOnly("e2e-bot");
        });
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<ProvisioningEvent> events = FLEET.commandEvents(commandId);
            assertThat(events).filteredOn(e -> e.type() == ProvisioningEvent.Type.SUCCEEDED).hasSize(1);
            assertThat(events).filteredOn(e -> e.type() == ProvisioningEvent.Type.NODE_RUNNING).hasSize(3);
            assertThat(events).extracting(ProvisioningEvent::actor).containsOnly("e2e-bot");
        });
    }

    @Test
    @Order(2)
    void aCommandOnKafkaWithoutATokenWithARevokedOneOrWithoutItsScopeGoesToTheDeadLetterTopicAndRunsNothing() {
        String readOnly = FLEET.suite.auth().token("reader", "provisioner:read", "inventory:read");
        String otherCluster = FLEET.suite.auth().token("staging-bot", "provisioner:launch:staging-*");
        io.maestro.client.auth.TokenIssuer.Issued revoked = FLEET.suite.auth().issuer().issue("gone", List.of("admin"), Duration.ofHours(1));
        try (io.maestro.client.auth.TokenLedger ledger = io.maestro.client.auth.TokenLedger.at(FLEET.stack.kafka().bootstrapServers())) {
            ledger.revoke(revoked.record().jti(), "e2e");
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> FLEET.replicas("provisioner-service").forEach(replica ->
                assertThat(Fleet.get(replica.url() + "/v1/clusters", revoked.token()).status()).isEqualTo(401)));
        List<String> ids = new java.util.ArrayList<>();
        for (String token : java.util.Arrays.asList(null, readOnly, otherCluster, "not-a-token", revoked.token())) {
            String commandId = "e2e-refused-" + UUID.randomUUID();
            ids.add(commandId);
            FLEET.publish(Topics.PROVISIONING_COMMANDS, ProvisioningCommand.launch(commandId, "intruder",
                    List.of(new GroupSpec("worker", 1, "local", Map.of())), null, false), token);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<String> dead = FLEET.readAll(Topics.deadLetterOf(Topics.PROVISIONING_COMMANDS)).stream()
                    .map(r -> EventCodec.decode(r.value(), ProvisioningCommand.class).commandId()).toList();
            assertThat(dead).containsAll(ids);
        });
        String provisioner = FLEET.replicas("provisioner-service").get(0).url();
        assertThat(Fleet.get(provisioner + "/v1/clusters/intruder").status()).as("nothing launched").isEqualTo(404);
        ids.forEach(id -> assertThat(Fleet.get(provisioner + "/v1/commands/" + id).status()).as("no command " + id).isEqualTo(404));
    }

    @Test
    @Order(3)
    void destroyCommandOnKafkaMarksVoltronsServersTerminated() {
        String commandId = "e2e-destroy-" + UUID.randomUUID();
        FLEET.publish(Topics.PROVISIONING_COMMANDS, ProvisioningCommand.destroy(commandId, "voltron"),
                FLEET.suite.auth().token("e2e-bot", "provisioner:destroy:voltron"));

        String inventory = FLEET.replicas("inventory-service").get(1).url();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode servers = Fleet.get(inventory + "/v1/entities?q=" + Fleet.query("type:server and pool:voltron")).body().get("items");
            assertThat(Fleet.names(servers)).containsExactlyInAnyOrderElementsOf(VOLTRON);
            servers.forEach(server -> assertThat(Fleet.attribute(server, "status")).isEqualTo("terminated"));
        });
        assertThat(Fleet.get(FLEET.replicas("provisioner-service").get(0).url() + "/v1/clusters/voltron").status()).isEqualTo(404);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(FLEET.commandEvents(commandId)).filteredOn(e -> e.type() == ProvisioningEvent.Type.SUCCEEDED).hasSize(1));
    }
}
