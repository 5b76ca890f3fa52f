package io.maestro.suite.bench;

import io.maestro.localstack.Directories;
import io.maestro.localstack.LocalStack;
import io.maestro.localstack.ServiceProcess;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether the console stays usable at the scale: 10,000 entities in the inventory and one service with 500
 * registered instances. The packaged suite and console (as {@code ./maestro up} runs them, with the whole JIT) on a
 * local stack; each page is fetched one at a time, as a signed-in browser would, and its server time (request sent to
 * the last byte) and size are printed as p50 and p99.
 *
 * <p>{@code suite-tests/console-bench.sh [requests per page, default 30] [entities, default 10000] [instances, default 500]}
 */
public final class ConsoleScaleBenchmark {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern NEXT = Pattern.compile("href=\"([^\"]*cursor=[^\"]*)\" rel=\"next\"");

    public static void main(String[] args) throws Exception {
        int requests = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int entities = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int instances = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        Path repo = Path.of("").toAbsolutePath();
        Path dir = repo.resolve("suite-tests/target/console-bench");
        Directories.deleteTree(dir);
        Files.createDirectories(dir);
        String code = UUID.randomUUID().toString().replace("-", "");
        try (LocalStack stack = LocalStack.onFreePorts(dir.resolve("stack")).start();
             Suite suite = new Suite(stack, repo, dir.resolve("suite"), true, 1, Map.of(), false)) {
            suite.start(Duration.ofSeconds(240));
            ServiceProcess console = suite.console(true, code, false);
            console.start(Duration.ofSeconds(120));
            String token = suite.auth().adminToken();
            String batch = "scale" + UUID.randomUUID().toString().substring(0, 6);
            long seeding = System.nanoTime();
            seedEntities(suite.service("inventory-service").url(), token, batch, entities);
            seedInstances(suite.service("registry-service").url(), token, batch + "-web", instances);
            System.out.printf("seeded %,d entities and %d instances in %.1f s%n", entities, instances, (System.nanoTime() - seeding) / 1e9);

            String base = console.url();
            HttpResponse<String> signedIn = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/login/link?code=" + code)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
            String search = "/inventory?q=" + encode("type:server and attr:batch=" + batch + " and attr:status=unallocated");
            String secondPage = next(base, cookie, search);
            Map<String, String> pages = new LinkedHashMap<>();
            pages.put("overview (services, readiness, recent events)", "/");
            pages.put("registry: every service", "/registry");
            pages.put("registry: the service of " + instances + " instances", "/registry/" + batch + "-web");
            pages.put("inventory: first page of every entity", "/inventory");
            pages.put("inventory: search, first page (of " + entities / 2 + " matches)", search);
            pages.put("inventory: search, second page (cursor)", secondPage);
            pages.put("inventory: search with no match", "/inventory?q=" + encode("type:server and attr:batch=" + batch + " and attr:memory>9999"));
            pages.put("inventory: an entity's page", "/inventory/entities/" + batch + "-00042");
            // the same search asked of the inventory itself: what of a page's time is the service's
            String inventory = suite.service("inventory-service").url();
            Map<String, String> direct = new LinkedHashMap<>();
            direct.put("  the same search, inventory API directly (limit 50)", inventory + "/v1/entities?limit=50&q="
                    + encode("type:server and attr:batch=" + batch + " and attr:status=unallocated"));
            System.out.printf("%n%-58s %10s %10s %10s%n", "page (" + requests + " requests each, after 5 to warm up)", "p50 ms", "p99 ms", "KiB");
            for (Map.Entry<String, String> page : pages.entrySet()) {
                measure(page.getKey(), HttpRequest.newBuilder(URI.create(base + page.getValue())).header("Cookie", cookie), requests);
                if (page.getValue().equals(search)) {
                    for (Map.Entry<String, String> api : direct.entrySet()) {
                        measure(api.getKey(), HttpRequest.newBuilder(URI.create(api.getValue())).header("Authorization", "Bearer " + token), requests);
                    }
                }
            }
        }
    }

    private static void measure(String label, HttpRequest.Builder request, int requests) throws Exception {
        List<Double> millis = new ArrayList<>();
        int size = 0;
        for (int i = 0; i < 5 + requests; i++) {
            long start = System.nanoTime();
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            double elapsed = (System.nanoTime() - start) / 1e6;
            if (response.statusCode() != 200) {
                throw new IllegalStateException(label + " answered " + response.statusCode() + ": " + response.body());
            }
            if (i >= 5) {
                millis.add(elapsed);
            }
            size = response.body().getBytes(StandardCharsets.UTF_8).length;
        }
        System.out.printf("%-58s %10.1f %10.1f %10.1f%n", label, Percentiles.of(millis, 50), Percentiles.of(millis, 99), size / 1024.0);
    }

    /** Servers named {@code <batch>-00000}..., half of them unallocated, in bulk requests of 5,000. */
    private static void seedEntities(String inventory, String token, String batch, int count) throws Exception {
        for (int from = 0; from < count; from += 5000) {
            StringBuilder body = new StringBuilder("{\"entities\":[");
            for (int i = from; i < Math.min(count, from + 5000); i++) {
                if (i > from) {
                    body.append(',');
                }
                body.append(String.format("{\"name\":\"%s-%05d\",\"type\":\"server\",\"attributes\":[{\"key\":\"batch\",\"value\":\"%s\"},"
                        + "{\"key\":\"status\",\"value\":\"%s\"},{\"key\":\"memory\",\"value\":%d}]}",
                        batch, i, batch, i % 2 == 0 ? "unallocated" : "allocated", 64 << (i % 4)));
            }
            body.append("]}");
            send(HttpRequest.newBuilder(URI.create(inventory + "/v1/entities/bulk")).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(120))
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), 201);
        }
    }

    /** {@code count} instances of one service, for an hour (the longest TTL), each with a few attributes. */
    private static void seedInstances(String registry, String token, String service, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            String body = String.format("{\"endpoint\":\"http://10.1.%d.%d:8080\",\"ttlSeconds\":3600,"
                    + "\"attributes\":{\"zone\":\"zone-%d\",\"version\":\"1.%d\"}}", i / 250, i % 250 + 1, i % 3, i % 5);
            send(HttpRequest.newBuilder(URI.create(registry + "/v1/services/" + service + "/instances/node-" + i))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), 201);
        }
    }

    private static void send(HttpRequest request, int expected) throws Exception {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    private static String next(String base, String cookie, String path) throws Exception {
        String html = HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", cookie).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher next = NEXT.matcher(html);
        if (!next.find()) {
            throw new IllegalStateException(path + " has no next page");
        }
        return next.group(1).replace("&amp;", "&");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
