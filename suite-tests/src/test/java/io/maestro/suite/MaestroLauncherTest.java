package io.maestro.suite;

import io.maestro.localstack.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ./maestro up --detach} brings the whole suite up on the local stack, each server on its own default port;
 * {@code ./maestro status} tells each server's own state; {@code ./maestro down} leaves nothing behind, and the next
 * {@code up} gets the same ports.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(1)
class MaestroLauncherTest {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final Path HOME = Path.of("target/maestro-home").toAbsolutePath();
    static final List<String> SERVICE_URLS = List.of(
            "MAESTRO_REGISTRY_URL", "MAESTRO_ELECTION_URL", "MAESTRO_INVENTORY_URL", "MAESTRO_PROVISIONER_URL");
    static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The address variables and the default port of each. */
    static final Map<String, Integer> DEFAULT_PORTS = Map.of(
            "MAESTRO_REGISTRY_URL", 8081, "MAESTRO_ELECTION_URL", 8082, "MAESTRO_INVENTORY_URL", 8083,
            "MAESTRO_PROVISIONER_URL", 8084, "MAESTRO_CONSOLE_URL", 8080, "KAFKA_BOOTSTRAP_SERVERS", 9092, "QUARKUS_REDIS_HOSTS", 6379, "POSTGRES_PORT", 5432);

    static String upOutput;
    static int upExit;
    static List<ProcessHandle> started;
    /** Default ports something else listened on before the first up: those may be replaced. */
    static Set<Integer> busyBefore;

    @BeforeAll
    static void up() throws Exception {
        busyBefore = DEFAULT_PORTS.values().stream().filter(Ports::accepts).collect(Collectors.toSet());
        Process up = launcher("up", "--detach", "--fresh");
        upExit = up.waitFor(150, TimeUnit.SECONDS) ? up.exitValue() : -1;
        upOutput = new String(up.getInputStream().readAllBytes());
        started = runnerPid().map(pid -> ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(List.of())).orElse(List.of());
    }

    @AfterAll
    static void down() throws Exception {
        launcher("down").waitFor(90, TimeUnit.SECONDS);
    }

    @Test
    @Order(1)
    void upReturnsOnceEveryServiceIsReadyAndWritesTheirAddresses() throws Exception {
        assertThat(upExit).as(upOutput).isZero();
        assertThat(upOutput).contains("all ready in");
        Map<String, String> env = stackEnv();
        assertThat(env).containsKeys("KAFKA_BOOTSTRAP_SERVERS", "QUARKUS_REDIS_HOSTS", "INVENTORY_DATABASE_URL");
        for (String variable : SERVICE_URLS) {
            assertThat(env).containsKey(variable);
            HttpResponse<String> ready = get(env.get(variable) + "/q/health/ready");
            assertThat(ready.statusCode()).as(variable).isEqualTo(200);
            assertThat(ready.body()).contains("\"UP\"");
        }
        Map<String, Integer> ports = ports(env);
        assertThat(ports.values()).as("every server on a port of its own: %s", ports).doesNotHaveDuplicates();
        DEFAULT_PORTS.forEach((variable, port) -> {
            if (!busyBefore.contains(port)) {
                assertThat(ports.get(variable)).as(variable + " on its default port, free before up").isEqualTo(port);
            }
        });
    }

    @Test
    @Order(2)
    void upMakesTheSuitesKeyAndAnAdminTokenThatOnlyItsOwnerCanReadAndEveryServiceRequiresATokenAndRegistersWithItsOwn() throws Exception {
        var ownerOnly = java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");
        for (Path secret : List.of(HOME.resolve("auth/private-key.pem"), HOME.resolve("auth/admin.token"),
                HOME.resolve("auth/service.token"), HOME.resolve("stack.env"))) {
            assertThat(Files.getPosixFilePermissions(secret)).as(secret + " owner-only").isEqualTo(ownerOnly);
        }
        Map<String, String> env = stackEnv();
        String admin = Files.readString(HOME.resolve("auth/admin.token")).strip();
        assertThat(env.get("MAESTRO_TOKEN")).isEqualTo(admin);
        assertThat(upOutput).as("the runner never prints a token").doesNotContain(admin)
                .contains(HOME.resolve("auth/admin.token").toString());
        String services = env.get("MAESTRO_REGISTRY_URL") + "/v1/services";
        assertThat(get(services).statusCode()).as("no token").isEqualTo(401);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> listed = HTTP.send(HttpRequest.newBuilder(URI.create(services)).header("Authorization", "Bearer " + admin)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(listed.statusCode()).isEqualTo(200);
            assertThat(listed.body()).as("each service registered itself with the services' token")
                    .contains("maestro.registry", "maestro.election", "maestro.inventory", "maestro.provisioner");
        });
        for (String variable : SERVICE_URLS) {
            assertThat(get(env.get(variable) + "/q/openapi").statusCode()).as(variable + " OpenAPI stays open").isEqualTo(200);
        }
    }

    @Test
    @Order(2)
    void upPrintsTheConsoleFirstWithALinkThatSignsInAsTheLocalAdminAndOnlyItsOwnerCanRead() throws Exception {
        String console = stackEnv().get("MAESTRO_CONSOLE_URL");
        assertThat(console).isNotNull();
        Path linkFile = HOME.resolve("console.link");
        assertThat(Files.getPosixFilePermissions(linkFile)).isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(HOME.resolve("runner.log")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        String link = Files.readString(linkFile).strip();
        assertThat(link).startsWith(console + "/login/link?code=");
        int consoleLine = upOutput.indexOf("console: " + console);
        assertThat(consoleLine).as(upOutput).isGreaterThanOrEqualTo(0).isLessThan(upOutput.indexOf("registry-service"));
        assertThat(upOutput).contains(link);

        HttpResponse<String> signedIn = get(link);
        assertThat(signedIn.statusCode()).isEqualTo(303);
        String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
        HttpResponse<String> overview = HTTP.send(HttpRequest.newBuilder(URI.create(console + "/")).header("Cookie", cookie)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(overview.statusCode()).isEqualTo(200);
        assertThat(overview.body()).contains("maestro.registry", "maestro.provisioner").doesNotContain("class=\"banner\"");
        // the suite's own registrations, read back from Kafka for the overview's recent events
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(HTTP.send(HttpRequest.newBuilder(
                URI.create(console + "/")).header("Cookie", cookie).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString())
                .body()).contains("data-topic=\"maestro.registry.changes\"").containsPattern("maestro\\.(registry|election|inventory|provisioner) rev"));
        assertThat(get(console + "/login/link?code=0000").statusCode()).as("another code").isEqualTo(401);
    }

    @Test
    @Order(2)
    void statusNamesTheRunningSuiteAndEachServersOwnState() throws Exception {
        Process status = launcher("status");
        assertThat(status.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(status.getInputStream().readAllBytes());
        assertThat(status.exitValue()).as(output).isZero();
        assertThat(output).contains("READY").contains("MAESTRO_PROVISIONER_URL=").doesNotContain("dead");
        for (String server : List.of("kafka", "redis", "postgres", "registry-service", "election-service", "inventory-service",
                "provisioner-service", "console")) {
            assertThat(output.lines().filter(line -> line.startsWith(server + " ")))
                    .as(output).singleElement().asString().contains(" running ");
        }
    }

    @Test
    @Order(3)
    void aSecondUpIsRefusedWhileOneRuns() throws Exception {
        Process second = launcher("up", "--detach");
        assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).isEqualTo(1);
        assertThat(new String(second.getInputStream().readAllBytes())).contains("already running");
    }

    @Test
    @Order(4)
    void statusNamesAServiceThatDiedAndWhereItsLogIs() throws Exception {
        String[] election = Files.readAllLines(HOME.resolve("servers.state")).stream().map(line -> line.split("\t"))
                .filter(fields -> fields[0].equals("election-service")).findFirst().orElseThrow();
        new ProcessBuilder("kill", "-9", election[1]).start().waitFor();

        Path log = HOME.resolve("election-service/election-service.log");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Process status = launcher("status");
            assertThat(status.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String output = new String(status.getInputStream().readAllBytes());
            assertThat(status.exitValue()).as(output).isEqualTo(1);
            assertThat(output).contains("DEGRADED: election-service dead").contains("election-service died; its log: " + log)
                    .containsPattern("(?m)^registry-service +running ");
        });
    }

    @Test
    @Order(5)
    void downStopsEveryProcessItStarted() throws Exception {
        assertThat(started).as("servers and services under the runner").hasSizeGreaterThanOrEqualTo(7);
        Process down = launcher("down");
        assertThat(down.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(down.exitValue()).isZero();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(started).as("processes left after ./maestro down").noneMatch(ProcessHandle::isAlive));
    }

    @Test
    @Order(6)
    void downThenUpAgainAtOnceKeepsEveryPort() throws Exception {
        Map<String, Integer> first = ports(stackEnv());
        for (int round = 1; round <= 2; round++) {
            Process up = launcher("up", "--detach");
            int exit = up.waitFor(150, TimeUnit.SECONDS) ? up.exitValue() : -1;
            String output = new String(up.getInputStream().readAllBytes());
            assertThat(exit).as("round %d: %s", round, output).isZero();
            assertThat(ports(stackEnv())).as("round %d", round).isEqualTo(first);

            Process down = launcher("down");
            assertThat(down.waitFor(90, TimeUnit.SECONDS)).isTrue();
            assertThat(down.exitValue()).isZero();
        }
    }

    /** The port of each address in stack.env that has a default. */
    private static Map<String, Integer> ports(Map<String, String> env) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String variable : DEFAULT_PORTS.keySet()) {
            String value = env.get(variable);
            assertThat(value).as(variable).isNotNull();
            ports.put(variable, Integer.parseInt(value.replaceAll(".*:", "").replaceAll("/.*", "")));
        }
        return ports;
    }

    private static Process launcher(String... args) throws IOException {
        List<String> command = new java.util.ArrayList<>(List.of(REPO.resolve("maestro").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true);
        builder.environment().put("MAESTRO_HOME", HOME.toString());
        builder.environment().put("MAESTRO_SKIP_BUILD", "true"); // the reactor has just packaged every service
        return builder.start();
    }

    private static java.util.Optional<Long> runnerPid() throws IOException {
        Path pid = HOME.resolve("runner.pid");
        return Files.exists(pid) ? java.util.Optional.of(Long.parseLong(Files.readString(pid).trim())) : java.util.Optional.empty();
    }

    private static Map<String, String> stackEnv() throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(HOME.resolve("stack.env"))) {
            int eq = line.indexOf('=');
            if (!line.startsWith("#") && eq > 0) {
                env.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return env;
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
