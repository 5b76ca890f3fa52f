package io.maestro.registry.checks;

import com.sun.net.httpserver.HttpServer;
import io.maestro.localstack.LocalStackResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cap on probes a replica starts per second: checks beyond it wait for their next interval (counted as skipped),
 * so many checks, or a hostile registrant's, cannot make the registry flood the network.
 */
@QuarkusTest
@TestProfile(ProbeRateCapTest.ThreeProbesPerSecond.class)
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class ProbeRateCapTest {
    public static class ThreeProbesPerSecond implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("registry.checks.max-probes-per-second", "3");
        }
    }

    @Test
    void probesBeyondTheCapWaitAndAreCountedAsSkipped() throws Exception {
        AtomicInteger probes = new AtomicInteger();
        HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/", exchange -> {
            probes.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        target.start();
        try {
            String base = "http://127.0.0.1:" + target.getAddress().getPort();
            Map<String, Object> check = Map.of("http", base + "/", "intervalSeconds", 1, "timeoutSeconds", 1);
            for (int i = 0; i < 3; i++) { // 12 checks every second, 3 may start per second
                given().contentType(ContentType.JSON).body(Map.of("endpoint", base, "checks", List.of(check, check, check, check)))
                        .put("/v1/services/capped/instances/c-" + i).then().statusCode(201);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> skipped() >= 20);
            // 12 more probes: uncapped they take one interval (1 s); at 3 per second they start in 4 different seconds
            int before = probes.get();
            long started = System.nanoTime();
            await().atMost(Duration.ofSeconds(15)).until(() -> probes.get() - before >= 12);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("time for 12 probes under a cap of 3 per second")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        } finally {
            target.stop(0);
        }
    }

    static double skipped() {
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(line -> line.startsWith("maestro_registry_check_skipped_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
