package io.maestro.election;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.client.election.ElectionClient;
import io.maestro.events.EventCodec;
import io.maestro.events.LeadershipChanged;
import io.maestro.localstack.LocalStack;
import io.maestro.localstack.Ports;
import io.maestro.localstack.SuiteAuth;
import io.maestro.support.testing.EventArrivals;
import io.maestro.events.Topics;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The election benchmark (a program, not a test). Starts the local stack and the packaged election-service, then
 * measures:
 * <ol>
 *   <li>failover after {@code kill -9} of the leader's process, TTL 1 s and 2 s, {@code --runs} each: from the kill
 *       to the ELECTED event at a watcher, and to the moment the new leader's own client reports leadership;</li>
 *   <li>handover after a graceful resign ({@code quit()}): from the call to the successor's client reporting it;</li>
 *   <li>priority takeover: a candidate of a higher priority joins; the leaderless gap from the leader's client
 *       reporting it let go to the preferred candidate's client reporting leadership;</li>
 *   <li>heartbeats per second sustained by the service ({@code --concurrency} requests in flight);</li>
 *   <li>event committed -> Kafka consumer ({@code --parts events}): {@code --events} candidates, each the first of a
 *       group of its own, join one at a time at {@code --event-rate} per second; each join elects it, and the
 *       script commits a {@code LeadershipChanged} ELECTED to the event log that the relay copies to Kafka. Timed
 *       from the join's answer (the event is committed before it) and from the call being sent to a consumer of
 *       {@code maestro.election.leadership} receiving the record; the first fifth is warm-up.</li>
 * </ol>
 * Run it with {@code election-service/bench.sh} (see the README). Every candidate is a real client; the killed
 * ones are separate JVMs ({@link BenchCandidate}). Every call carries the admin token of a key pair made under
 * {@code target/benchmark/auth}, whose public key the service verifies tokens with.
 */
public final class ElectionBenchmark {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final URI service;
    private final Path dir;
    private final String token;
    private final List<Process> children = Collections.synchronizedList(new ArrayList<>());
    private final Random random = new Random(7);

    private ElectionBenchmark(URI service, Path dir, String token) {
        this.service = service;
        this.dir = dir;
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        int runs = 20;
        int concurrency = 64;
        int heartbeatSeconds = 10;
        List<Long> ttls = List.of(1000L, 2000L);
        int events = 2500;
        int eventRate = 100;
        List<String> parts = List.of("failover", "resign", "priority", "heartbeats", "events");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--concurrency" -> concurrency = Integer.parseInt(args[++i]);
                case "--heartbeat-seconds" -> heartbeatSeconds = Integer.parseInt(args[++i]);
                case "--ttls" -> ttls = java.util.Arrays.stream(args[++i].split(",")).map(Long::parseLong).toList();
                case "--parts" -> parts = List.of(args[++i].split(","));
                case "--events" -> events = Integer.parseInt(args[++i]);
                case "--event-rate" -> eventRate = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + "; usage: [--runs N] [--ttls 1000,2000] [--concurrency N] [--heartbeat-seconds S]"
                        + " [--parts failover,resign,priority,heartbeats,events] [--events N] [--event-rate N]");
            }
        }
        Path dir = Path.of("target", "benchmark").toAbsolutePath();
        Files.createDirectories(dir);
        try (LocalStack stack = LocalStack.onFreePorts(dir.resolve("stack")).start()) {
            int port = Ports.free();
            SuiteAuth auth = SuiteAuth.in(dir.resolve("auth"));
            Process app = startService(stack, port, dir, auth);
            ElectionBenchmark bench = new ElectionBenchmark(URI.create("http://127.0.0.1:" + port), dir, auth.adminToken());
            bench.children.add(app);
            Runtime.getRuntime().addShutdownHook(new Thread(bench::stopChildren));
            try {
                bench.awaitReady();
                System.out.printf("%nMachine: %d cores, %s; Redis %s; load average %s%n", Runtime.getRuntime().availableProcessors(),
                        System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), stack.redis().url(), loadAverage());
                List<String> rows = new ArrayList<>();
                if (parts.contains("failover")) {
                    for (long ttl : ttls) {
                        rows.addAll(bench.failover(ttl, runs));
                    }
                }
                if (parts.contains("resign")) {
                    rows.add(bench.resign(runs));
                }
                if (parts.contains("priority")) {
                    rows.add(bench.priorityTakeover(runs));
                }
                if (parts.contains("heartbeats")) {
                    rows.add(bench.heartbeats(concurrency, Duration.ofSeconds(heartbeatSeconds)));
                }
                if (parts.contains("events")) {
                    rows.addAll(bench.events(stack.kafka().bootstrapServers(), events, eventRate));
                }
                System.out.println();
                System.out.println("| measurement | n | median | p90 | max | min |");
                System.out.println("|---|---|---|---|---|---|");
                rows.forEach(System.out::println);
            } finally {
                bench.stopChildren();
            }
        }
    }

    private static Process startService(LocalStack stack, int port, Path dir, SuiteAuth auth) throws IOException {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build it first (./mvnw -B install -DskipTests)");
        }
        ProcessBuilder builder = new ProcessBuilder(javaBin(), "-Xmx512m", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("election-service.log").toFile());
        Map<String, String> env = builder.environment();
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.kafka().bootstrapServers());
        env.put("QUARKUS_REDIS_HOSTS", stack.redis().url());
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.putAll(auth.serviceEnvironment());
        return builder.start();
    }

    private void awaitReady() throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() - end < 0) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(service.resolve("/q/health/ready")).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("election-service not ready within 120 s; see " + dir.resolve("election-service.log"));
    }

    /** Kill -9 of the leader's JVM, {@code runs} times in a chain: each new follower becomes the next victim. */
    private List<String> failover(long ttl, int runs) throws Exception {
        String group = "bench-failover-" + ttl;
        List<Double> toEvent = new ArrayList<>();
        List<Double> toClient = new ArrayList<>();
        try (SseWatch watch = new SseWatch(service, group, null, token)) {
            Candidate leader = spawn(group, "unit-0", ttl);
            leader.awaitGained(Duration.ofSeconds(30));
            for (int run = 1; run <= runs; run++) {
                Candidate follower = spawn(group, "unit-" + run, ttl);
                awaitCandidate(group, follower.id);
                Thread.sleep(ttl / 3 + random.nextInt((int) ttl)); // any phase of the leader's heartbeats
                int seen = watch.events().size();
                long killed = System.nanoTime();
                leader.process.destroyForcibly(); // SIGKILL
                long gained = follower.awaitGained(Duration.ofMillis(ttl * 3));
                long elected = awaitElected(watch, seen, follower.id);
                toClient.add(millis(gained - killed));
                toEvent.add(millis(elected - killed));
                System.out.printf("failover TTL %d ms run %2d: elected after %6.1f ms, new leader knew after %6.1f ms"
                                + " (its watch had the event after %6.1f ms)%n",
                        ttl, run, millis(elected - killed), millis(gained - killed), millis(follower.eventNanos - killed));
                leader = follower;
            }
            leader.quit();
        }
        return List.of(row("failover after kill -9, TTL " + ttl / 1000.0 + " s: ELECTED event", toEvent),
                row("failover after kill -9, TTL " + ttl / 1000.0 + " s: new leader's client knows", toClient));
    }

    /** Graceful resign: from quit() to the successor's client reporting leadership. */
    private String resign(int runs) throws Exception {
        List<Double> handover = new ArrayList<>();
        String group = "bench-resign";
        ElectionClient leader = unit(group, "resign-0", null);
        if (!leader.awaitMaster(Duration.ofSeconds(10))) {
            throw new IllegalStateException("no leader in " + group);
        }
        for (int run = 1; run <= runs; run++) {
            AtomicLong gainedAt = new AtomicLong();
            CountDownLatch gained = new CountDownLatch(1);
            ElectionClient follower = unit(group, "resign-" + run, () -> {
                gainedAt.set(System.nanoTime());
                gained.countDown();
            });
            awaitCandidate(group, follower.candidateId());
            Thread.sleep(200);
            long start = System.nanoTime();
            leader.quit();
            if (!gained.await(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("no handover after resign in run " + run);
            }
            handover.add(millis(gainedAt.get() - start));
            System.out.printf("resign run %2d: successor knew after %5.1f ms%n", run, millis(gainedAt.get() - start));
            leader = follower;
        }
        leader.quit();
        return row("handover after a graceful resign (quit() to successor's client)", handover);
    }

    private ElectionClient unit(String group, String id, Runnable onGained) {
        return ElectionClient.builder(service, group, id).token(token).ttl(Duration.ofSeconds(2))
                .onLeadershipGained(lease -> {
                    if (onGained != null) {
                        onGained.run();
                    }
                }).start();
    }

    /**
     * Priority takeover: a standby of priority 0 leads; a preferred candidate (priority 100) joins; the standby is told
     * to let go at its next heartbeat, confirms at once, and the preferred one is elected. Measured: from the
     * standby's client reporting the loss to the preferred client reporting leadership (the gap with no leader).
     */
    private String priorityTakeover(int runs) throws Exception {
        List<Double> gaps = new ArrayList<>();
        String group = "bench-priority";
        AtomicLong lostAt = new AtomicLong();
        ElectionClient standby = ElectionClient.builder(service, group, "standby").token(token).ttl(Duration.ofSeconds(2))
                .onLeadershipLost(() -> lostAt.set(System.nanoTime())).start();
        if (!standby.awaitMaster(Duration.ofSeconds(10))) {
            throw new IllegalStateException("no leader in " + group);
        }
        for (int run = 1; run <= runs; run++) {
            AtomicLong gainedAt = new AtomicLong();
            CountDownLatch gained = new CountDownLatch(1);
            lostAt.set(0);
            ElectionClient preferred = ElectionClient.builder(service, group, "preferred-" + run).token(token)
                    .ttl(Duration.ofSeconds(2)).priority(100).onLeadershipGained(lease -> {
                        gainedAt.set(System.nanoTime());
                        gained.countDown();
                    }).start();
            if (!gained.await(5, TimeUnit.SECONDS) || lostAt.get() == 0) {
                throw new IllegalStateException("no priority takeover in run " + run);
            }
            double gap = millis(gainedAt.get() - lostAt.get());
            gaps.add(gap);
            System.out.printf("priority run %2d: preferred led %5.1f ms after the standby let go%n", run, gap);
            preferred.quit();
            if (!standby.awaitMaster(Duration.ofSeconds(5))) {
                throw new IllegalStateException("the standby did not lead again after run " + run);
            }
        }
        standby.quit();
        return row("priority takeover: leaderless gap (leader let go -> preferred's client leads)", gaps);
    }

    /** Heartbeats/s: candidates spread over groups, {@code concurrency} heartbeats in flight at all times. */
    private String heartbeats(int concurrency, Duration duration) throws Exception {
        int groups = 20;
        int perGroup = 50;
        List<String[]> candidates = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            for (int c = 0; c < perGroup; c++) {
                String group = "bench-heartbeat-" + g;
                String id = "unit-" + c;
                HttpResponse<String> joined = HTTP.send(HttpRequest.newBuilder(service.resolve("/v1/groups/" + group + "/candidates"))
                        .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"candidateId\":\"" + id + "\",\"ttlMillis\":120000}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                JsonNode body = EventCodec.mapper().readTree(joined.body());
                candidates.add(new String[]{group, id, body.get("token").asText()});
            }
        }
        Load warmup = new Load(candidates, concurrency);
        warmup.run(Duration.ofSeconds(3));
        Load load = new Load(candidates, concurrency);
        String loadBefore = loadAverage();
        load.run(duration);
        String loadAfter = loadAverage();
        double perSecond = load.ok.get() / (duration.toMillis() / 1000.0);
        List<Double> latencies = load.latencies();
        System.out.printf("heartbeats: %d ok, %d failed in %d s with %d in flight: %.0f/s (load average before %s, after %s)%n",
                load.ok.get(), load.failed.get(), duration.toSeconds(), concurrency, perSecond, loadBefore, loadAfter);
        return row(String.format(Locale.ROOT, "heartbeat latency at %.0f heartbeats/s sustained (%d in flight, %d failed)",
                perSecond, concurrency, load.failed.get()), latencies);
    }

    /** Event committed -> Kafka consumer: joins that each elect the first candidate of a new group, one at a time. */
    private List<String> events(String bootstrapServers, int count, int rate) throws Exception {
        String run = Long.toString(System.nanoTime() % 1_000_000, 36);
        try (EventArrivals arrivals = EventArrivals.follow(bootstrapServers, Topics.ELECTION_LEADERSHIP, ElectionBenchmark::electedGroup)) {
            EventArrivals.Timing timing = arrivals.time("ELECTED events (joins of new groups)", count, rate, i -> {
                String group = "bench-events-" + run + "-" + i;
                HttpResponse<String> joined = HTTP.send(HttpRequest.newBuilder(service.resolve("/v1/groups/" + group + "/candidates"))
                        .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                        .POST(HttpRequest.BodyPublishers.ofString("{\"candidateId\":\"unit-0\",\"ttlMillis\":300000}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (joined.statusCode() != 201 && joined.statusCode() != 200) {
                    throw new IllegalStateException("join of " + group + " answered " + joined.statusCode() + ": " + joined.body());
                }
                return group;
            });
            return List.of(row("ELECTED event: join returned -> Kafka consumer", timing.fromReturn()),
                    row("ELECTED event: join sent -> Kafka consumer", timing.fromSend()));
        }
    }

    /** The group of an ELECTED record of a group seat, else null. */
    private static String electedGroup(String key, String value) {
        try {
            LeadershipChanged event = EventCodec.decode(value, LeadershipChanged.class);
            return event.key() == null && event.reason() == LeadershipChanged.Reason.ELECTED ? event.group() : null;
        } catch (RuntimeException notOne) {
            return null;
        }
    }

    /**
     * Keeps {@code concurrency} heartbeats in flight over the candidates, round robin, on Vert.x' HTTP client (one
     * event loop, kept-alive connections): lighter than java.net.http, so the generator leaves the cores to the service.
     */
    private final class Load {
        private final List<String[]> candidates;
        private final int concurrency;
        private final AtomicLong ok = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private final AtomicLong next = new AtomicLong();
        private final List<Double> samples = Collections.synchronizedList(new ArrayList<>());
        private volatile long end;
        private io.vertx.core.http.HttpClient client;

        Load(List<String[]> candidates, int concurrency) {
            this.candidates = candidates;
            this.concurrency = concurrency;
        }

        void run(Duration duration) throws InterruptedException {
            io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(1));
            try {
                client = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions()
                        .setDefaultHost(service.getHost()).setDefaultPort(service.getPort())
                        .setKeepAlive(true).setMaxPoolSize(concurrency));
                end = System.nanoTime() + duration.toNanos();
                CountDownLatch done = new CountDownLatch(concurrency);
                for (int i = 0; i < concurrency; i++) {
                    beat(done);
                }
                done.await();
            } finally {
                vertx.close();
            }
        }

        private void beat(CountDownLatch done) {
            if (System.nanoTime() - end > 0) {
                done.countDown();
                return;
            }
            String[] c = candidates.get((int) (next.getAndIncrement() % candidates.size()));
            long start = System.nanoTime();
            client.request(io.vertx.core.http.HttpMethod.PUT, "/v1/groups/" + c[0] + "/candidates/" + c[1] + "/heartbeat")
                    .compose(request -> request.putHeader("X-Maestro-Token", c[2]).putHeader("Authorization", "Bearer " + token).send())
                    .compose(response -> response.body().map(body -> response.statusCode()))
                    .onComplete(result -> {
                        if (result.succeeded() && result.result() == 200) {
                            ok.incrementAndGet();
                            if (samples.size() < 200_000) {
                                samples.add(millis(System.nanoTime() - start));
                            }
                        } else {
                            failed.incrementAndGet();
                        }
                        beat(done);
                    });
        }

        List<Double> latencies() {
            return new ArrayList<>(samples);
        }
    }

    private Candidate spawn(String group, String id, long ttl) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(javaBin(), "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), BenchCandidate.class.getName(),
                service.toString(), group, id, Long.toString(ttl))
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("candidates.log").toFile()));
        builder.environment().put("MAESTRO_TOKEN", token); // not on the command line, where ps would show it
        Process process = builder.start();
        children.add(process);
        return new Candidate(id, process);
    }

    private void awaitCandidate(String group, String id) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() - end < 0) {
            String body = HTTP.send(HttpRequest.newBuilder(service.resolve("/v1/groups/" + group))
                            .header("Authorization", "Bearer " + token).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (JsonNode c : EventCodec.mapper().readTree(body).path("candidates")) {
                if (c.get("candidateId").asText().equals(id)) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(id + " did not join " + group);
    }

    private static long awaitElected(SseWatch watch, int seen, String leader) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() - end < 0) {
            List<SseWatch.Received> events = watch.events();
            for (int i = seen; i < events.size(); i++) {
                LeadershipChanged e = events.get(i).event();
                if (e.key() == null && leader.equals(e.leader())) {
                    return events.get(i).arrivedNanos();
                }
            }
            Thread.sleep(1);
        }
        throw new IllegalStateException("no ELECTED event for " + leader);
    }

    private void stopChildren() {
        synchronized (children) {
            children.forEach(Process::destroyForcibly);
            children.clear();
        }
    }

    private static String row(String name, List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return String.format(Locale.ROOT, "| %s | %d | %.1f ms | %.1f ms | %.1f ms | %.1f ms |", name, sorted.size(),
                percentile(sorted, 50), percentile(sorted, 90), sorted.get(sorted.size() - 1), sorted.get(0));
    }

    private static double percentile(List<Double> sorted, int p) {
        if (sorted.size() % 2 == 0 && p == 50) {
            return (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /** The 1-minute load average: other work on the machine lowers the figures. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static double millis(long nanos) {
        return nanos / 1_000_000.0;
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A {@link BenchCandidate} process and what it printed. */
    private static final class Candidate {
        final String id;
        final Process process;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final Writer stdin;
        volatile long eventNanos;

        Candidate(String id, Process process) {
            this.id = id;
            this.process = process;
            this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            Thread reader = new Thread(() -> {
                try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = out.readLine(); line != null; line = out.readLine()) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // process gone
                }
            }, "bench-" + id);
            reader.setDaemon(true);
            reader.start();
        }

        /** Waits for GAINED and returns the nanoTime the candidate printed. */
        long awaitGained(Duration timeout) throws InterruptedException {
            long end = System.nanoTime() + timeout.toNanos();
            while (true) {
                String line = lines.poll(Math.max(1, end - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new IllegalStateException(id + " did not become leader within " + timeout);
                }
                if (line.startsWith("GAINED ")) {
                    return Long.parseLong(line.split(" ")[2]);
                }
                if (line.startsWith("EVENT ")) {
                    eventNanos = Long.parseLong(line.split(" ")[1]);
                }
            }
        }

        void quit() throws IOException, InterruptedException {
            stdin.write("quit\n");
            stdin.flush();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
