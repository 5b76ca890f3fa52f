package io.maestro.inventory.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.localstack.LocalStack;
import io.maestro.localstack.PostgresServer;
import io.maestro.events.EventCodec;
import io.maestro.events.InventoryMutation;
import io.maestro.events.Topics;
import io.maestro.localstack.SuiteAuth;
import io.maestro.inventory.trace.ConnectionTrace;
import io.maestro.support.testing.EventArrivals;

import java.io.IOException;
import java.net.ServerSocket;
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
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Seeds the inventory through the REST bulk path and measures it: creation rate, p50/p99 of five
 * expressions returning at most 100 rows, allocations/s with 32 concurrent clients (checking that no
 * entity is allocated twice), and event committed -> Kafka consumer: entities created one at a time at 100/s, each
 * an {@code InventoryMutation} CREATED committed to the outbox in the creating transaction and relayed to Kafka,
 * timed from the call's answer (and from its sending) to a consumer of {@code maestro.inventory.mutations} receiving
 * the record (the first fifth is warm-up). It starts its own local stack and the packaged service as a child process, with access
 * control on: the service verifies with the public key of a key pair made for the run, every request carries its
 * admin token.
 *
 * <p>Run from the repository root: {@code inventory-service/bench.sh [entities, 10 attributes each; default 100000]
 * [events, default 2500]}; it builds what it needs first.
 */
public final class InventoryBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int RACKS_PER_DC = 20;
    private static final int SERVERS_PER_RACK = 40;
    private static String base;
    /** The bearer token every request carries: access control is on, as in production. */
    private static String authorization;

    public static void main(String[] args) throws Exception {
        boolean trace = args.length > 0 && args[0].equals("trace");
        boolean imports = args.length > 0 && args[0].equals("import");
        int connections = trace && args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int rows = imports && args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int entities = !trace && !imports && args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int events = !trace && !imports && args.length > 1 ? Integer.parseInt(args[1]) : 2500;
        Path dir = Path.of("inventory-service", "target", "bench-stack").toAbsolutePath();
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(dir);
        try (LocalStack stack = LocalStack.onFreePorts(dir).start()) {
            SuiteAuth auth = SuiteAuth.in(dir.resolve("auth"));
            authorization = "Bearer " + auth.adminToken();
            Process service = startService(stack, dir, auth);
            try (EventArrivals arrivals = EventArrivals.follow(stack.kafka().bootstrapServers(), Topics.INVENTORY_MUTATIONS,
                    InventoryBenchmark::createdEntity)) {
                if (trace) {
                    trace(stack, connections);
                } else if (imports) {
                    imports(rows);
                } else {
                    run(entities);
                    events(arrivals, events, 100);
                }
                if (System.getenv("BENCH_HOLD") != null) {
                    hold(stack);
                }
            } finally {
                service.destroy();
                service.waitFor();
            }
        }
        System.exit(0);
    }

    private static Process startService(LocalStack stack, Path dir, SuiteAuth auth) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        base = "http://127.0.0.1:" + port;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (Map.Entry<String, String> e : stack.quarkusConfig("maestro_inventory").entrySet()) {
            command.add("-D" + e.getKey() + "=" + e.getValue());
        }
        command.add("-Dmp.jwt.verify.publickey.location=" + auth.publicKey());
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dquarkus.log.level=WARN");
        command.add("-jar");
        command.add(Path.of("inventory-service", "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("service.log").toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy)); // also on Ctrl-C (BENCH_HOLD)
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (get("/q/health/ready").statusCode() == 200) {
                    return process;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        process.destroy();
        throw new IllegalStateException("service not ready; see " + dir.resolve("service.log"));
    }

    private static void run(int entities) throws Exception {
        // --- bulk creation ---
        long start = System.nanoTime();
        ExecutorService clients = Executors.newFixedThreadPool(2);
        List<Future<?>> batches = new ArrayList<>();
        int batch = 1000;
        for (int from = 0; from < entities; from += batch) {
            int first = from;
            int last = Math.min(entities, from + batch);
            batches.add(clients.submit(() -> {
                List<Map<String, Object>> list = new ArrayList<>();
                for (int i = first; i < last; i++) {
                    list.add(server(i));
                }
                check(post("/v1/entities/bulk", Map.of("entities", list)), 201);
                return null;
            }));
        }
        for (Future<?> f : batches) {
            f.get();
        }
        clients.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("bulk creation: %d entities with %d attributes in %.1f s = %.0f entities/s%n",
                entities, entities * 10L, seconds, entities / seconds);

        // --- topology: 2 datacenters, racks, the first servers placed in racks, switches wired to them ---
        int placed = 0;
        for (int d = 0; d < 2; d++) {
            check(post("/v1/entities", Map.of("name", "bench-dc-" + d, "type", "datacenter")), 201);
            check(post("/v1/entities", Map.of("name", "bench-sw-" + d, "type", "switch")), 201);
            for (int r = 0; r < RACKS_PER_DC; r++) {
                String rack = "bench-rack-" + d + "-" + r;
                check(post("/v1/entities", Map.of("name", rack, "type", "rack")), 201);
                check(post("/v1/entities/bench-dc-" + d + "/contents", Map.of("child", rack)), 201);
                for (int u = 1; u <= SERVERS_PER_RACK && placed < entities; u++, placed++) {
                    check(post("/v1/entities/" + rack + "/contents", Map.of("child", name(placed), "position", Map.of("unit", u, "height", 1))), 201);
                    if (u <= 2) {
                        check(post("/v1/connections", Map.of("a", Map.of("entity", name(placed), "port", "eth0"),
                                "b", Map.of("entity", "bench-sw-" + d, "port", "port" + r + "-" + u))), 201);
                    }
                }
            }
        }
        System.out.printf("topology: %d servers placed in %d racks, %d connections%n", placed, 2 * RACKS_PER_DC, 4 * RACKS_PER_DC);

        // --- a device with 100 connected ports, listed (NetBox: 3 s and 160 queries, netbox#18409) ---
        check(post("/v1/entities", Map.of("name", "bench-core", "type", "switch")), 201);
        int ports = Math.min(100, entities);
        for (int i = 0; i < ports; i++) {
            check(post("/v1/connections", Map.of("a", Map.of("entity", "bench-core", "port", "port" + i),
                    "b", Map.of("entity", name(entities - 1 - i), "port", "uplink"))), 201);
        }
        int listed = JSON.readTree(check(get("/v1/entities/bench-core"), 200).body()).get("connections").size();
        if (listed != ports) {
            throw new IllegalStateException("bench-core lists " + listed + " connections, not " + ports);
        }
        timed("device with " + ports + " ports", "GET /v1/entities/bench-core", listed, "/v1/entities/bench-core");

        // --- queries ---
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("type and attribute", "type:server and attr:role=r7 and attr:cores>=32");
        queries.put("transitive in:", "type:server and in:bench-dc-1");
        queries.put("connected:", "connected:bench-sw-0");
        queries.put("glob", "name:srv-0012*");
        queries.put("not", "type:server and attr:owner=team-7 and not attr:status=retired");
        for (Map.Entry<String, String> q : queries.entrySet()) {
            String path = "/v1/entities?limit=100&q=" + URLEncoder.encode(q.getValue(), StandardCharsets.UTF_8);
            int rows = JSON.readTree(check(get(path), 200).body()).get("items").size();
            timed(q.getKey(), q.getValue(), rows, path);
        }

        // --- allocations with 32 concurrent clients ---
        int perClient = Math.max(1, Math.min(20, RACKS_PER_DC * SERVERS_PER_RACK / 32));
        ExecutorService allocators = Executors.newFixedThreadPool(32);
        List<Future<List<String>>> results = new ArrayList<>();
        long allocStart = System.nanoTime();
        for (int c = 0; c < 32; c++) {
            results.add(allocators.submit(() -> {
                List<String> names = new ArrayList<>();
                for (int i = 0; i < perClient; i++) {
                    HttpResponse<String> response = post("/v1/allocations", Map.of("query", "type:server and in:bench-dc-0", "count", 1,
                            "assign", Map.of("pool", "bench-allocated")));
                    if (response.statusCode() == 201) {
                        for (JsonNode e : JSON.readTree(response.body()).get("entities")) {
                            names.add(e.get("name").asText());
                        }
                    }
                }
                return names;
            }));
        }
        List<String> allocated = new ArrayList<>();
        for (Future<List<String>> f : results) {
            allocated.addAll(f.get());
        }
        double allocSeconds = (System.nanoTime() - allocStart) / 1e9;
        allocators.shutdown();
        Set<String> distinct = new HashSet<>(allocated);
        System.out.printf("allocations: %d requests by 32 clients, %d allocated in %.1f s = %.0f allocations/s, double allocations: %d%n",
                32 * perClient, allocated.size(), allocSeconds, allocated.size() / allocSeconds, allocated.size() - distinct.size());
    }

    /**
     * Bulk import of {@code rows} CSV rows as a datacenter's spreadsheet would hold them: racks (height 42), a switch
     * in each (of a type with 48 declared ports), 40 servers per rack at a unit each, each server with 5 attributes, in one of 4 pools and cabled to its
     * rack's switch. Timed over HTTP: the dry run, the import (atomic), the export of it all, the export imported
     * again (every row unchanged), and an import that changes one attribute of every server.
     */
    private static void imports(int rows) throws Exception {
        // the switches are of a type with port templates: each gets ports 1-48 and is cabled on those only
        check(put("/v1/types/" + SWITCH48, Map.of("ports", List.of("[1-48]"))), 200);
        System.out.println("warm-up: the same steps with 2,000 rows of other names");
        importSteps("bench-warm", 2000);
        System.out.println("measured:");
        importSteps("bench-imp", rows);
    }

    private static final String SWITCH48 = "bench-switch48";

    private static void importSteps(String prefix, int rows) throws Exception {
        int racks = (rows + 41) / 42;
        StringBuilder csv = new StringBuilder("name,type,parent,unit,height,pools,connections,attr.height:integer,attr.cores:integer,attr.memory:integer,attr.role,attr.serial,attr.dns.primary\n");
        int written = 0;
        for (int r = 0; r < racks && written < rows; r++) {
            String rack = String.format("%s-rack-%04d", prefix, r);
            csv.append(rack).append(",rack,,,,,,42,,,,,\n");
            csv.append(rack).append("-sw,").append(SWITCH48).append(",").append(rack).append(",42,1,,,,,,,,\n");
            written += 2;
            for (int u = 1; u <= 40 && written < rows; u++, written++) {
                csv.append(String.format("%s-srv-%02d,server,%s,%d,1,%s-pool-%d,eth0=%s-sw:%d,,%d,%d,%s,SN%08d,10.%d.%d.%d%n",
                        rack, u, rack, u, prefix, u % 4, rack, u, 8 << (u % 3), 64 << (u % 2), u % 2 == 0 ? "web" : "db", r * 100 + u, r / 250, r % 250, u));
            }
        }
        byte[] body = csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        System.out.printf(" %d rows (%d racks, %d switches of 48 declared ports, %d servers with 5 attributes, a pool and a cable each), %.1f MB of CSV%n",
                written, racks, racks, written - 2 * racks, body.length / 1e6);
        String report = timedImport("dry run (?dryRun=true, decided, written, rolled back)", body, "?dryRun=true");
        require(report, "\"created\":" + written);
        report = timedImport("import (atomic)", body, "");
        require(report, "\"created\":" + written);
        long started = System.nanoTime();
        String exported = check(get("/v1/entities?format=csv&q=" + java.net.URLEncoder.encode("name:" + prefix + "-*", java.nio.charset.StandardCharsets.UTF_8)), 200).body();
        System.out.printf("  export of every row as CSV (GET /v1/entities?format=csv): %.2f s, %d lines%n", (System.nanoTime() - started) / 1e9, exported.lines().count());
        report = timedImport("the export imported again (every row unchanged)", exported.getBytes(java.nio.charset.StandardCharsets.UTF_8), "");
        require(report, "\"changed\":0");
        report = timedImport("import changing one attribute of every server", csv.toString().replace(",web,", ",frontend,").replace(",db,", ",database,")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), "");
        require(report, "\"created\":0");
    }

    private static String timedImport(String label, byte[] body, String query) throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = check(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/import" + query)).header("Content-Type", "text/csv")
                .header("Authorization", authorization).timeout(Duration.ofMinutes(5))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString()), 200);
        double seconds = (System.nanoTime() - started) / 1e9;
        JsonNode report = JSON.readTree(response.body());
        System.out.printf("  %s: %.2f s; created %d, changed %d, unchanged %d, refused %d%n", label, seconds,
                report.path("created").asInt(), report.path("changed").asInt(), report.path("unchanged").asInt(), report.path("refused").asInt());
        return response.body();
    }

    private static void require(String report, String fragment) {
        if (!report.contains(fragment)) {
            throw new IllegalStateException("unexpected import report (wanted " + fragment + "): " + report.substring(0, Math.min(2000, report.length())));
        }
    }

    /**
     * The connection trace at {@code connections} connections: a path of 5 cables through 4 patch panels made through
     * the API, then the rest seeded in SQL (2 × connections / 100 devices of 100 ports, each port of device 2i cabled to
     * the same port of device 2i+1: through the API that would take hours), then 500 traces timed over HTTP and the
     * trace statement's own time from EXPLAIN ANALYZE.
     */
    private static void trace(LocalStack stack, int connections) throws Exception {
        check(put("/v1/types/bench-panel", Map.of("passThrough", Map.of("front", "front-", "rear", "rear-"))), 200);
        List<Map<String, Object>> path = new ArrayList<>(List.of(Map.of("name", "bench-trace-srv", "type", "server"),
                Map.of("name", "bench-trace-sw", "type", "switch")));
        for (int i = 0; i < 4; i++) {
            path.add(Map.of("name", "bench-trace-pp-" + i, "type", "bench-panel"));
        }
        check(post("/v1/entities/bulk", Map.of("entities", path)), 201);
        String[][] cables = {{"bench-trace-srv", "eth0", "bench-trace-pp-0", "front-1"}, {"bench-trace-pp-0", "rear-1", "bench-trace-pp-1", "rear-1"},
                {"bench-trace-pp-1", "front-1", "bench-trace-pp-2", "front-1"}, {"bench-trace-pp-2", "rear-1", "bench-trace-pp-3", "rear-1"},
                {"bench-trace-pp-3", "front-1", "bench-trace-sw", "ge-1"}};
        for (String[] cable : cables) {
            check(post("/v1/connections", Map.of("a", Map.of("entity", cable[0], "port", cable[1]), "b", Map.of("entity", cable[2], "port", cable[3]))), 201);
        }
        long start = System.nanoTime();
        int devices = (connections + 99) / 100 * 2;
        try (java.sql.Connection db = java.sql.DriverManager.getConnection(stack.postgres().jdbcUrl("maestro_inventory"), PostgresServer.USER,
                stack.postgres().password(PostgresServer.USER)); java.sql.Statement sql = db.createStatement()) {
            sql.execute("insert into entity (id, name, type) select gen_random_uuid(), 'bench-dev-' || lpad(i::text, 7, '0'), 'device' "
                    + "from generate_series(0, " + (devices - 1) + ") i");
            sql.execute("create temp table bench_dev as select (row_number() over (order by name)) - 1 as n, id from entity where name like 'bench-dev-%'");
            sql.execute("create temp table bench_conn as with c as (insert into connection (created_at) select now() from generate_series(1, "
                    + connections + ") returning id) select id, (row_number() over (order by id)) - 1 as k from c");
            for (int side = 0; side < 2; side++) {
                sql.execute("insert into connection_end (entity_id, port, connection_id) select d.id, 'p' || (c.k % 100), c.id "
                        + "from bench_conn c join bench_dev d on d.n = (c.k / 100) * 2 + " + side);
            }
            sql.execute("analyze entity; analyze connection; analyze connection_end");
            try (var count = sql.executeQuery("select count(*) from connection")) {
                count.next();
                System.out.printf("seeded in SQL: %,d devices, %,d connections in all (%.1f s)%n", devices, count.getLong(1),
                        (System.nanoTime() - start) / 1e9);
            }
            String trace = "/v1/entities/bench-trace-srv/ports/eth0/trace";
            JsonNode answer = JSON.readTree(check(get(trace), 200).body());
            if (answer.path("segments").size() != 5 || !answer.path("complete").asBoolean() || !"bench-trace-sw".equals(answer.path("to").path("entity").asText())) {
                throw new IllegalStateException("unexpected trace: " + answer);
            }
            // The same request path without the trace, for comparison: reading one entity (auth, session, JSON).
            for (String[] measured : new String[][]{{trace, "trace through 4 patch panels (5 connections)"},
                    {"/v1/entities/bench-trace-srv", "for comparison, GET /v1/entities/bench-trace-srv"}}) {
                for (int i = 0; i < 200; i++) {
                    check(get(measured[0]), 200);
                }
                List<Double> millis = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    long t = System.nanoTime();
                    check(get(measured[0]), 200);
                    millis.add((System.nanoTime() - t) / 1e6);
                }
                Collections.sort(millis);
                System.out.printf("%s at %,d connections, over HTTP: p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms%n",
                        measured[1], connections, millis.get(249), millis.get(449), millis.get(494), millis.get(499));
            }
            String explain = "explain (analyze, buffers) " + ConnectionTrace.SQL.replace("?1", "'bench-trace-srv'").replace("?2", "'eth0'")
                    .replace("?3", Integer.toString(ConnectionTrace.MAX_SEGMENTS));
            for (int run = 1; run <= 3; run++) {
                List<String> plan = new ArrayList<>();
                try (var lines = sql.executeQuery(explain)) {
                    while (lines.next()) {
                        plan.add(lines.getString(1));
                    }
                }
                System.out.printf("the trace's one SQL statement, EXPLAIN ANALYZE run %d: %s, %s%n", run,
                        plan.stream().filter(l -> l.startsWith("Planning Time")).findFirst().orElse("?"),
                        plan.stream().filter(l -> l.startsWith("Execution Time")).findFirst().orElse("?"));
                if (run == 3 && System.getenv("BENCH_PLAN") != null) {
                    plan.forEach(System.out::println);
                }
            }
        }
    }

    private static void timed(String label, String what, int rows, String path) throws Exception {
        for (int i = 0; i < 20; i++) {
            check(get(path), 200);
        }
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            long t = System.nanoTime();
            check(get(path), 200);
            millis.add((System.nanoTime() - t) / 1e6);
        }
        Collections.sort(millis);
        System.out.printf("query %-20s %-62s rows %3d  p50 %6.1f ms  p99 %6.1f ms%n", label, what, rows,
                millis.get(millis.size() / 2), millis.get((int) Math.ceil(millis.size() * 0.99) - 1));
    }

    /**
     * With {@code BENCH_HOLD} set, keeps the stack and the service up after the run, for query plans
     * ({@code EXPLAIN ANALYZE}) on the data just measured; Ctrl-C ends it (the stack's processes die with this one).
     */
    private static void hold(LocalStack stack) throws InterruptedException {
        System.out.printf("holding (BENCH_HOLD): PGPASSWORD=%s psql -h 127.0.0.1 -p %d -U %s maestro_inventory; service at %s%n",
                PostgresServer.PASSWORD, stack.postgres().port(), PostgresServer.USER, base);
        Thread.sleep(Long.MAX_VALUE);
    }

    /** Event committed -> Kafka consumer: entities created one at a time at {@code rate}/s. */
    private static void events(EventArrivals arrivals, int count, int rate) throws Exception {
        arrivals.time("CREATED mutations (entities created)", count, rate, i -> {
            String name = String.format("bench-event-%06d", i);
            check(post("/v1/entities", Map.of("name", name, "type", "server")), 201);
            return name;
        });
    }

    /** The entity name of a CREATED mutation, else null. */
    private static String createdEntity(String key, String value) {
        try {
            InventoryMutation mutation = EventCodec.decode(value, InventoryMutation.class);
            return mutation.op() == InventoryMutation.Op.CREATED ? mutation.entityName() : null;
        } catch (RuntimeException notOne) {
            return null;
        }
    }

    private static String name(int i) {
        return String.format("srv-%06d", i);
    }

    private static Map<String, Object> server(int i) {
        String[] vendors = {"acme", "globex", "initech", "umbrella", "hooli"};
        String[] envs = {"prod", "stage", "dev"};
        return Map.of("name", name(i), "type", "server", "attributes", List.of(
                Map.of("key", "role", "value", "r" + (i % 20)),
                Map.of("key", "cores", "value", new int[] {8, 16, 32, 64}[i % 4]),
                Map.of("key", "memory", "value", 1024 * (i % 8 + 1)),
                Map.of("key", "serial", "value", "SN" + i),
                Map.of("key", "vendor", "value", vendors[i % vendors.length]),
                Map.of("key", "status", "value", i % 10 == 0 ? "retired" : "active"),
                Map.of("key", "model", "value", "m" + (i % 30)),
                Map.of("key", "owner", "value", "team-" + (i % 50)),
                Map.of("key", "env", "value", envs[i % envs.length]),
                Map.of("key", "disk", "subkey", "size", "value", 500 * (i % 4 + 1))));
    }

    private static HttpResponse<String> check(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(response.request().uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return response;
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", authorization).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> put(String path, Object body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .header("Authorization", authorization)
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, Object body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private InventoryBenchmark() {
    }
}
