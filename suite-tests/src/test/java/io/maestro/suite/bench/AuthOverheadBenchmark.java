package io.maestro.suite.bench;

import io.maestro.localstack.Directories;
import io.maestro.localstack.LocalStack;
import io.maestro.localstack.Suite;

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

/**
 * What token verification costs a request: two copies of the packaged suite on one local stack, one with access
 * control on (every request carries the admin token, verified and checked for its scope) and one with it off
 * ({@code MAESTRO_AUTH_ENABLED=false}; they share Kafka, Redis and PostgreSQL, each registers under a service name of
 * its own), the same requests sent to both, interleaved in rounds so that a noisy
 * machine disturbs both alike. Measures a registry registration (an update of one of 50 instances) and an
 * inventory query ({@code type:server}, 10 of 200 servers), one request at a time, and prints p50 and p99 of each
 * and the difference of the medians.
 *
 * <p>{@code suite-tests/bench.sh [rounds, default 10] [requests per round and variant, default 300]}
 */
public final class AuthOverheadBenchmark {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final int INSTANCES = 50;

    private record Variant(String label, String registry, String inventory, String token) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        Path repo = Path.of("").toAbsolutePath();
        Path dir = repo.resolve("suite-tests/target/auth-bench");
        Directories.deleteTree(dir);
        Files.createDirectories(dir);
        try (LocalStack stack = LocalStack.onFreePorts(dir.resolve("stack")).start();
             Suite on = new Suite(stack, repo, dir.resolve("auth-on"), true, 1, Map.of(), false);
             Suite off = new Suite(stack, repo, dir.resolve("auth-off"), true, 1, Map.of("MAESTRO_AUTH_ENABLED", "false"), false)) {
            on.start(Duration.ofSeconds(240));
            off.start(Duration.ofSeconds(240));
            List<Variant> variants = List.of(
                    new Variant("auth on ", on.service("registry-service").url(), on.service("inventory-service").url(), on.auth().adminToken()),
                    new Variant("auth off", off.service("registry-service").url(), off.service("inventory-service").url(), null));
            seedServers(variants.get(0));
            Map<String, String> instanceTokens = new HashMap<>();
            Map<String, List<Double>> registerMillis = new HashMap<>();
            Map<String, List<Double>> queryMillis = new HashMap<>();
            System.out.printf("warming up (%d requests per variant and operation) ...%n", 2 * perRound);
            for (Variant variant : variants) {
                measure(variant, 2 * perRound, instanceTokens, new ArrayList<>(), new ArrayList<>());
            }
            for (int round = 1; round <= rounds; round++) {
                for (Variant variant : round % 2 == 0 ? variants : List.of(variants.get(1), variants.get(0))) {
                    measure(variant, perRound, instanceTokens, registerMillis.computeIfAbsent(variant.label, k -> new ArrayList<>()),
                            queryMillis.computeIfAbsent(variant.label, k -> new ArrayList<>()));
                }
            }
            System.out.printf("%nrequests one at a time, %d rounds of %d per variant and operation%n", rounds, perRound);
            System.out.printf("%-40s %10s %10s%n", "operation", "p50 ms", "p99 ms");
            for (String operation : List.of("registry register", "inventory query")) {
                Map<String, List<Double>> samples = operation.startsWith("registry") ? registerMillis : queryMillis;
                double onP50 = Percentiles.of(samples.get("auth on "), 50);
                double offP50 = Percentiles.of(samples.get("auth off"), 50);
                for (Variant variant : variants) {
                    List<Double> values = samples.get(variant.label);
                    System.out.printf("%-40s %10.3f %10.3f%n", operation + ", " + variant.label, Percentiles.of(values, 50), Percentiles.of(values, 99));
                }
                System.out.printf("%-40s %10.3f%n", operation + ", token verification adds", onP50 - offP50);
            }
        }
    }

    private static void measure(Variant variant, int requests, Map<String, String> instanceTokens, List<Double> register,
                                List<Double> query) throws Exception {
        String q = URLEncoder.encode("type:server", StandardCharsets.UTF_8);
        for (int i = 0; i < requests; i++) {
            String id = "i-" + (i % INSTANCES);
            String key = variant.label + id;
            HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(variant.registry + "/v1/services/bench-" + variant.label.strip().replace(' ', '-') + "/instances/" + id))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"endpoint\":\"http://10.0.0.1:8080\",\"ttlSeconds\":300,"
                            + "\"attributes\":{\"seq\":\"" + i + "\"}}"));
            if (instanceTokens.containsKey(key)) {
                put.header("X-Maestro-Token", instanceTokens.get(key));
            }
            long start = System.nanoTime();
            HttpResponse<String> registered = send(variant, put);
            register.add((System.nanoTime() - start) / 1e6);
            if (registered.statusCode() == 201) {
                instanceTokens.put(key, registered.body().replaceAll(".*\"token\"\\s*:\\s*\"([^\"]+)\".*", "$1"));
            } else if (registered.statusCode() != 200) {
                throw new IllegalStateException(variant.label + " register answered " + registered.statusCode() + ": " + registered.body());
            }
            start = System.nanoTime();
            HttpResponse<String> found = send(variant, HttpRequest.newBuilder(URI.create(variant.inventory + "/v1/entities?limit=10&q=" + q)).GET());
            query.add((System.nanoTime() - start) / 1e6);
            if (found.statusCode() != 200) {
                throw new IllegalStateException(variant.label + " query answered " + found.statusCode() + ": " + found.body());
            }
        }
    }

    /** 200 servers, through the first variant (both inventories share the database). */
    private static void seedServers(Variant variant) throws Exception {
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            items.append(i == 0 ? "" : ",").append("{\"name\":\"bench-server-").append(i).append("\",\"type\":\"server\"}");
        }
        HttpResponse<String> created = send(variant, HttpRequest.newBuilder(URI.create(variant.inventory + "/v1/entities/bulk"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"entities\":[" + items + "]}")));
        if (created.statusCode() >= 300) {
            throw new IllegalStateException("seeding the inventory answered " + created.statusCode() + ": " + created.body());
        }
    }

    private static HttpResponse<String> send(Variant variant, HttpRequest.Builder request) throws Exception {
        if (variant.token != null) {
            request.header("Authorization", "Bearer " + variant.token);
        }
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

}
