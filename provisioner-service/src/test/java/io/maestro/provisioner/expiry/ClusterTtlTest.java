package io.maestro.provisioner.expiry;

import io.maestro.events.ProvisioningCommand;
import io.maestro.events.ProvisioningEvent;
import io.maestro.localstack.LocalStackResource;
import io.maestro.provisioner.CommandStatus;
import io.maestro.provisioner.repository.CommandRepository;
import io.maestro.provisioner.repository.Sessions;
import io.maestro.provisioner.service.CommandService;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static io.maestro.provisioner.ApiCalls.awaitCommand;
import static io.maestro.provisioner.ApiCalls.commandIdOf;
import static io.maestro.provisioner.KafkaEvents.eventsOf;
import static io.maestro.provisioner.TestCommands.stop;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/**
 * Clusters that expire: a launch's {@code ttl} runs out, the provisioner announces EXPIRING and destroys the cluster
 * with a DESTROY of its own; {@code PUT/DELETE /v1/clusters/{name}/ttl} extend, shorten or remove it until then.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_provisioner"))
class ClusterTtlTest {
    @Inject
    CommandRepository commands;
    @Inject
    CommandService runner;

    private static String unique(String prefix) {
        return prefix + "-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
    }

    private static String launch(String name, int nodes, String ttl) {
        return commandIdOf(given().contentType(ContentType.JSON).body(Map.of("name", name, "ttl", ttl,
                "groups", List.of(Map.of("tag", "node", "count", nodes, "driver", "local")))).post("/v1/clusters"));
    }

    @Test
    void whenTheTtlRunsOutTheClusterIsAnnouncedExpiringThenDestroyedNodeByNode() {
        String name = unique("ttl-runs-out");
        awaitCommand(launch(name, 5, "1h"), "SUCCEEDED");
        var cluster = given().get("/v1/clusters/" + name).then().statusCode(200).body("ttl", equalTo("1h"))
                .body("expiryCommandId", nullValue()).extract().jsonPath();
        Instant created = Instant.parse(cluster.getString("createdAt"));
        assertThat(Duration.between(created, Instant.parse(cluster.getString("expiresAt")))).as("the ttl counts from the cluster's creation")
                .isEqualTo(Duration.ofHours(1));
        // Shortened once every node runs, so the launch (seconds on a busy machine) cannot outlast it.
        Instant expiresAt = Instant.parse(given().contentType(ContentType.JSON).body(Map.of("ttl", "3s")).put("/v1/clusters/" + name + "/ttl")
                .then().statusCode(200).extract().path("expiresAt"));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> given().get("/v1/clusters/" + name).statusCode() == 404);
        List<ProvisioningEvent> events = await().atMost(Duration.ofSeconds(30))
                .until(() -> eventsOf(name), seen -> seen.stream().anyMatch(e -> e.type() == ProvisioningEvent.Type.SUCCEEDED
                        && e.commandId().startsWith("ttl-")));
        List<ProvisioningEvent> expiry = events.stream().filter(e -> e.commandId().startsWith("ttl-")).toList();
        assertThat(expiry).extracting(ProvisioningEvent::type).containsExactly(ProvisioningEvent.Type.EXPIRING, ProvisioningEvent.Type.ACCEPTED,
                ProvisioningEvent.Type.NODE_TERMINATED, ProvisioningEvent.Type.NODE_TERMINATED, ProvisioningEvent.Type.NODE_TERMINATED,
                ProvisioningEvent.Type.NODE_TERMINATED, ProvisioningEvent.Type.NODE_TERMINATED, ProvisioningEvent.Type.SUCCEEDED);
        assertThat(expiry).as("the provisioner acts on its own: no actor").allSatisfy(e -> assertThat(e.actor()).isNull());
        assertThat(expiry.get(0).message()).startsWith("ttl 3s ran out at ");
        assertThat(expiry.get(0).occurredAt()).as("announced once the ttl ran out, not before").isAfterOrEqualTo(expiresAt);
        given().get("/v1/commands/" + expiry.get(0).commandId()).then().statusCode(200)
                .body("type", equalTo("DESTROY")).body("status", equalTo("SUCCEEDED")).body("actor", nullValue());

        Instant lastTerminated = expiry.stream().filter(e -> e.type() == ProvisioningEvent.Type.NODE_TERMINATED)
                .map(ProvisioningEvent::occurredAt).max(Instant::compareTo).orElseThrow();
        Duration expiryToGone = Duration.between(expiresAt, lastTerminated);
        System.out.printf("[ttl] 5 local nodes: expired at %s, announced %d ms later, last node terminated %d ms after expiry%n",
                expiresAt, Duration.between(expiresAt, expiry.get(0).occurredAt()).toMillis(), expiryToGone.toMillis());
        // check interval 1 s, then the destroy itself: bounded generously for a shared two-core machine
        assertThat(expiryToGone).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void theTtlCanBeExtendedRemovedAndShortenedUntilItRunsOut() {
        String name = unique("ttl-extended");
        awaitCommand(launch(name, 0, "1h"), "SUCCEEDED");

        Instant before = Instant.now();
        var extended = given().contentType(ContentType.JSON).body(Map.of("ttl", "1h30m")).put("/v1/clusters/" + name + "/ttl")
                .then().statusCode(200).body("name", equalTo(name)).body("ttl", equalTo("1h30m")).extract().jsonPath();
        assertThat(Instant.parse(extended.getString("expiresAt"))).as("counted from now")
                .isBetween(before.plus(Duration.ofMinutes(89)), before.plus(Duration.ofMinutes(91)));
        given().contentType(ContentType.JSON).body(Map.of("ttl", "2s")).put("/v1/clusters/" + name + "/ttl").then().statusCode(200);
        given().delete("/v1/clusters/" + name + "/ttl").then().statusCode(200).body("ttl", nullValue()).body("expiresAt", nullValue());

        // well past those 2 s: still there
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(500))
                .until(() -> given().get("/v1/clusters/" + name).statusCode() == 200);
        given().get("/v1/clusters/" + name).then().body("expiresAt", nullValue()).body("expiryCommandId", nullValue());

        given().contentType(ContentType.JSON).body(Map.of("ttl", "1s")).put("/v1/clusters/" + name + "/ttl").then().statusCode(200);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> given().get("/v1/clusters/" + name).statusCode() == 404);
        given().contentType(ContentType.JSON).body(Map.of("ttl", "1h")).put("/v1/clusters/" + name + "/ttl").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void onceTheProvisionerIsDestroyingAnExpiredClusterItsTtlCanNoLongerBeChanged() {
        String name = unique("ttl-late");
        awaitCommand(launch(name, 0, "1h"), "SUCCEEDED");
        // Another replica runs a command on the cluster for a while: the expiry's DESTROY waits for it.
        ProvisioningCommand busy = stop(unique("busy"), name);
        Sessions.awaitTransaction(() -> commands.insertIfNew(busy));
        assertThat(Sessions.awaitTransaction(() -> commands.claim(busy.commandId(), name, "other-replica", Duration.ofMinutes(5), true))).isTrue();
        given().contentType(ContentType.JSON).body(Map.of("ttl", "1s")).put("/v1/clusters/" + name + "/ttl").then().statusCode(200);

        String expiryCommand = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> given().get("/v1/clusters/" + name).then().statusCode(200).extract().<String>path("expiryCommandId"),
                        id -> id != null);
        given().get("/v1/commands/" + expiryCommand).then().body("type", equalTo("DESTROY")).body("status", equalTo("ACCEPTED"));
        given().contentType(ContentType.JSON).body(Map.of("ttl", "8h")).put("/v1/clusters/" + name + "/ttl").then().statusCode(409)
                .contentType("application/problem+json").body("detail", containsString(expiryCommand));
        given().delete("/v1/clusters/" + name + "/ttl").then().statusCode(409);

        // The other command ends; the DESTROY runs.
        Sessions.awaitTransaction(() -> commands.finish(busy.commandId(), "other-replica", CommandStatus.SUCCEEDED, "stopped", null));
        runner.runSoon(Sessions.awaitSession(() -> commands.findCommand(expiryCommand)).orElseThrow().request());
        awaitCommand(expiryCommand, "SUCCEEDED");
        given().get("/v1/clusters/" + name).then().statusCode(404);
    }

    @Test
    void aTtlThatIsNotADurationInRangeIsRefusedNamingTheFieldAndLaunchesNothing() {
        for (String bad : List.of("15x", "0s", "31d", "1.5h", "-1h", "h", " 1h", "9999999999s")) {
            String name = unique("ttl-bad");
            given().contentType(ContentType.JSON).body(Map.of("name", name, "ttl", bad,
                    "groups", List.of(Map.of("tag", "node", "count", 1)))).post("/v1/clusters")
                    .then().statusCode(400).contentType("application/problem+json").body("detail", startsWith("ttl"));
            given().get("/v1/clusters/" + name).then().statusCode(404);
        }
        String name = unique("ttl-put-bad");
        awaitCommand(launch(name, 0, "1h"), "SUCCEEDED");
        for (String bad : List.of("soon", "0m", "400d")) {
            given().contentType(ContentType.JSON).body(Map.of("ttl", bad)).put("/v1/clusters/" + name + "/ttl")
                    .then().statusCode(400).contentType("application/problem+json").body("detail", startsWith("ttl"));
        }
        given().contentType(ContentType.JSON).body("{}").put("/v1/clusters/" + name + "/ttl")
                .then().statusCode(400).body("detail", startsWith("ttl"));
        given().get("/v1/clusters/" + name).then().body("ttl", equalTo("1h"));
        awaitCommand(commandIdOf(given().delete("/v1/clusters/" + name)), "SUCCEEDED");
    }
}
