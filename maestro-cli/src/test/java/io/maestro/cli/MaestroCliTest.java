package io.maestro.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line against the four real services on the local stack. */
class MaestroCliTest {
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void suite() {
        SuiteFixture.start();
    }

    @Test
    void helpListsEveryCommandAndEachCommandHasExamples() {
        var help = SuiteFixture.run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("services", "service", "watch", "group", "watch-group", "events", "generate-completion");
        assertThat(help.out()).contains("token", "MAESTRO_TOKEN");
        for (String command : new String[]{"services", "service", "state", "watch", "group", "watch-group", "elect", "events",
                "token", "token create", "token revoke", "token list"}) {
            String[] args = (command + " --help").split(" ");
            assertThat(SuiteFixture.run(args).out()).as(command).contains("Example");
        }
    }

    @Test
    void anUnknownCommandIsAUsageErrorWithExitCode2() {
        var result = SuiteFixture.run("launch-the-missiles");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("Unmatched argument");
    }

    @Test
    void anUnreachableServiceIsOneClearLineWithExitCode1() {
        var result = SuiteFixture.run("--registry-url", "http://127.0.0.1:1", "services");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err().strip()).startsWith("error: cannot reach registry-service at http://127.0.0.1:1").doesNotContain("\n");
    }

    @Test
    void aServicesProblemIsShownAsItsTitleAndDetailWithExitCode1() {
        var result = SuiteFixture.run("service", "Not_A_Valid_Name");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err().strip()).startsWith("error: registry-service: ").doesNotContain("\n").doesNotContain("Exception");
    }

    @Test
    void servicesAndServiceShowARegisteredInstanceAsTableAndJson() throws Exception {
        String service = "billing-" + UUID.randomUUID().toString().substring(0, 8);
        register(service, "i-1", "http://10.0.0.1:8080");

        var table = SuiteFixture.run("services");
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).contains("SERVICE", "INSTANCES", service);

        var json = SuiteFixture.run("services", "--json");
        JsonNode services = Http.read(json.out());
        assertThat(services.findValuesAsText("service")).contains(service);

        var one = SuiteFixture.run("service", service);
        assertThat(one.out()).contains("i-1", "http://10.0.0.1:8080", "role=web");
        JsonNode detail = Http.read(SuiteFixture.run("service", service, "--json").out());
        assertThat(detail.path("instances").get(0).path("endpoint").asText()).isEqualTo("http://10.0.0.1:8080");
        assertThat(detail.toString()).doesNotContain("token");
    }

    @Test
    void stateDrainsAnInstanceAndServiceHealthyLeavesItOut() throws Exception {
        String service = "drain-" + UUID.randomUUID().toString().substring(0, 8);
        register(service, "i-1", "http://10.0.0.1:8080");
        register(service, "i-2", "http://10.0.0.2:8080");

        var drained = SuiteFixture.run("state", service, "i-1", "draining");
        assertThat(drained.exitCode()).as(drained.err()).isZero();
        assertThat(drained.out()).contains(service + "/i-1 is draining");
        var all = SuiteFixture.run("service", service);
        assertThat(all.out()).contains("HEALTH", "STATE").containsPattern("i-1 .* draining").containsPattern("i-2 .* active");
        var healthy = SuiteFixture.run("service", service, "--healthy");
        assertThat(healthy.out()).contains("i-2").doesNotContain("i-1");

        var wrong = SuiteFixture.run("state", service, "i-1", "asleep");
        assertThat(wrong.exitCode()).isEqualTo(1);
        assertThat(wrong.err()).contains("state: must be one of active, draining, maintenance");
    }

    @Test
    void eventsPrintsTheRegistryChangesReadably() throws Exception {
        String service = "events-" + UUID.randomUUID().toString().substring(0, 8);
        register(service, "i-9", "http://10.0.0.9:8080");
        var result = SuiteFixture.run("events", "maestro.registry.changes", "--from-beginning", "--timeout", "15",
                "--max", "1000");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains(service + " rev").contains("REGISTERED i-9");
    }

    @Test
    void eventsRejectsATopicThatIsNotMaestrosWithExitCode2() {
        var result = SuiteFixture.run("events", "random.topic");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("unknown topic 'random.topic'").contains("maestro.registry.changes");
    }

    @Test
    void groupShowsTheLeaderAndItsFencingToken() throws Exception {
        String group = "workers-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> joined = HTTP.send(HttpRequest.newBuilder(URI.create(SuiteFixture.url("election-service") + "/v1/groups/" + group + "/candidates"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + SuiteFixture.adminToken())
                .POST(HttpRequest.BodyPublishers.ofString("{\"candidateId\":\"unit-a\",\"ttlMillis\":30000,\"keys\":[\"k1\"]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(joined.statusCode()).as(joined.body()).isEqualTo(201);

        var result = SuiteFixture.run("group", group);
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("leader unit-a").contains("fencing token");
        JsonNode json = Http.read(SuiteFixture.run("group", group, "--json").out());
        assertThat(json.path("leader").path("candidateId").asText()).isEqualTo("unit-a");
    }

    @Test
    void watchPrintsOneLinePerMembershipChange() throws Exception {
        String service = "watched-" + UUID.randomUUID().toString().substring(0, 8);
        // From revision 0, so the test does not depend on when the stream connects.
        var out = SuiteFixture.runInBackground("watch", service, "--after-revision", "0");
        register(service, "i-1", "http://10.0.0.1:8080");
        register(service, "i-2", "http://10.0.0.2:8080");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(out.toString()).contains(service + " rev 1 REGISTERED i-1 -> 1 instance(s)")
                        .contains(service + " rev 2 REGISTERED i-2 -> 2 instance(s)"));
    }

    @Test
    void watchExecRunsTheCommandWithTheCurrentListOnceABurstOfChangesSettles() throws Exception {
        String service = "exec-" + UUID.randomUUID().toString().substring(0, 8);
        java.nio.file.Path runs = java.nio.file.Files.createTempFile("watch-exec", ".log");
        var out = SuiteFixture.runInBackground("watch", service, "--after-revision", "0", "--debounce-ms", "1500", "--exec",
                "echo \"$MAESTRO_SERVICE $MAESTRO_REVISION $MAESTRO_ENDPOINTS\" >> " + runs + "; "
                        + "grep -c instanceId | sed 's/^/lines on stdin: /'");
        for (int i = 1; i <= 4; i++) {
            register(service, "i-" + i, "http://10.0.0." + i + ":8080");
        }
        // four changes within the debounce time: one run, with the list as it ended
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(java.nio.file.Files.readAllLines(runs)).containsExactly(service + " 4 http://10.0.0.1:8080 http://10.0.0.2:8080 "
                        + "http://10.0.0.3:8080 http://10.0.0.4:8080"));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(out.toString()).contains("lines on stdin: 1"));
        register(service, "i-5", "http://10.0.0.5:8080");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(java.nio.file.Files.readAllLines(runs)).hasSize(2).last().asString().startsWith(service + " 5 ")
                        .endsWith("http://10.0.0.5:8080"));
    }

    @Test
    void watchGroupPrintsEachLeadershipChange() throws Exception {
        String group = "watched-" + UUID.randomUUID().toString().substring(0, 8);
        // From an event id a second back, so the test does not depend on when the stream connects.
        String since = (System.currentTimeMillis() - 1000) + "-0";
        var out = SuiteFixture.runInBackground("watch-group", group, "--after", since, "--json");
        HttpResponse<String> joined = HTTP.send(HttpRequest.newBuilder(URI.create(SuiteFixture.url("election-service") + "/v1/groups/" + group + "/candidates"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + SuiteFixture.adminToken())
                .POST(HttpRequest.BodyPublishers.ofString("{\"candidateId\":\"unit-z\",\"ttlMillis\":30000}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(joined.statusCode()).as(joined.body()).isEqualTo(201);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() -> {
            String line = out.toString().lines().filter(l -> l.contains("\"leader\":\"unit-z\"")).findFirst().orElse("");
            assertThat(line).isNotEmpty();
            JsonNode change = Http.read(line);
            assertThat(change.path("reason").asText()).isEqualTo("ELECTED");
            assertThat(change.path("fencingToken").asLong()).isPositive();
        });
    }

    @Test
    void completionScriptIsGenerated() {
        var result = SuiteFixture.run("generate-completion");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("complete -F").contains("maestro");
    }

    private static void register(String service, String instance, String endpoint) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(SuiteFixture.url("registry-service")
                        + "/v1/services/" + service + "/instances/" + instance))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + SuiteFixture.adminToken())
                .PUT(HttpRequest.BodyPublishers.ofString("{\"endpoint\":\"" + endpoint + "\",\"attributes\":{\"role\":\"web\"},\"ttlSeconds\":60}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
    }
}
