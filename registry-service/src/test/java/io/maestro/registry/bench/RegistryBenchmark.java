package io.maestro.registry.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.events.Topics;
import io.maestro.localstack.LocalStack;
import io.maestro.localstack.ServiceProcess;
import io.maestro.localstack.SuiteAuth;
import io.maestro.support.testing.EventArrivals;
import io.maestro.support.testing.ProcessCpu;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End-to-end latency and throughput of the registry: REST register call -> Redis (Lua script: the service's log and
 * the change stream) -> the relay ({@code EventRelay}: XREAD, send, acknowledgement, cursor) -> Kafka -> a consumer,
 * and -> keyspace notification -> the watch hub -> an SSE watcher. It starts its own local stack and the packaged
 * service as a child process, keeps 100 services of 10 instances each (so every record carries a 10-instance list),
 * watches each service over SSE (100 watchers) and re-registers the instances with a changed attribute, so every
 * call is a change with a new revision.
 *
 * <ol>
 *   <li>Latency at 1,000 registrations/s (open loop, 90 s warm-up, 20 s measured): the register call itself; from
 *       the call returning to the consumer receiving the record of the revision it returned (p50, p99, max), and the
 *       same from the call being sent; the same two to the SSE watcher of the service receiving the change event of
 *       that revision. The warm-up is long because it must be: on two cores shared with the load, the service's C2
 *       compiler is still busy (half a core) a minute after start, and the figures of that minute are those of a
 *       service still compiling, not of one that runs for days. The stack's Kafka broker has the whole JIT too
 *       ({@code LocalStack.forBenchmarks()}).</li>
 *   <li>Highest sustained rate: steps of 10 s at increasing rates; a step passes when the achieved call rate is at
 *       least 95 % of the target, every change is delivered to the consumer and the p99 latency stays under 1 s.</li>
 * </ol>
 * Both print the CPU time each process used per registration (the service, Redis, Kafka, this program): on two
 * shared cores their sum bounds the rate the machine can carry.
 *
 * <p>Run from the repository root: {@code registry-service/bench.sh} (builds what it needs first). Arguments (optional):
 * latency rate (default 1000), first and last rate of the ramp (default 2000 and 8000), step (1000), warm-up seconds (90).
 * Every call carries the suite's admin token (a key pair made under {@code target/bench-stack/auth}); with
 * {@code BENCH_AUTH=off} in the environment the service runs with access control off ({@code maestro.auth.enabled=false}), to
 * measure what token verification costs. {@code BENCH_EVENT_LOOPS} sets the service's event loops (default 1; Quarkus's
 * own default is two per core). {@code BENCH_SERVICE_OPTS} adds JVM options to the service's command line
 * (whitespace-separated), e.g. an async-profiler {@code -agentpath:...}.
 */
public final class RegistryBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SERVICES = 100;
    private static final int INSTANCES_PER_SERVICE = 10;
    private static final int MAX_IN_FLIGHT = 256;
    private static final long TICK_NANOS = 1_000_000;

    private final io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(1));
    private final io.vertx.core.http.HttpClient client = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions().setKeepAlive(true),
            new io.vertx.core.http.PoolOptions().setHttp1MaxSize(64).setMaxWaitQueueSize(-1));
    private static final boolean AUTH = !"off".equals(System.getenv("BENCH_AUTH"));
    /**
     * The service's Vert.x event loops: one, as the registry README advises on a node of two cores shared with Redis and
     * Kafka (Quarkus's default, two per core, hands most Redis answers from one event loop to another).
     */
    private static final int EVENT_LOOPS = Integer.parseInt(System.getenv().getOrDefault("BENCH_EVENT_LOOPS", "1"));

    private final int port;
    private final String authorization;
    /** When the consumer received each change, by "service/revision". */
    private EventArrivals received;
    /** "service/revision" -> nanoTime the service's SSE watcher received its change event. */
    private final Map<String, Long> watched = new ConcurrentHashMap<>();
    /** The watchers' own event loop, so that reading them does not delay the calls. */
    private final io.vertx.core.Vertx watchVertx = io.vertx.core.Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(1));
    private final io.vertx.core.http.HttpClient watchClient = watchVertx.createHttpClient(new io.vertx.core.http.HttpClientOptions().setKeepAlive(true),
            new io.vertx.core.http.PoolOptions().setHttp1MaxSize(SERVICES));
    private final AtomicLong sequence = new AtomicLong();

    private final ProcessCpu cpu;

    private RegistryBenchmark(int port, String authorization, ProcessCpu cpu) {
        this.port = port;
        this.authorization = authorization;
        this.cpu = cpu;
    }

    public static void main(String[] args) throws Exception {
        int latencyRate = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rampFrom = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int rampTo = args.length > 2 ? Integer.parseInt(args[2]) : 8000;
        int rampStep = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        int warmUpSeconds = args.length > 4 ? Integer.parseInt(args[4]) : 90;
        Path dir = Path.of("registry-service", "target", "bench-stack").toAbsolutePath();
        deleteTree(dir);
        Files.createDirectories(dir);
        try (LocalStack stack = LocalStack.onFreePorts(dir).forBenchmarks().start()) {
            int port = freePort();
            SuiteAuth auth = SuiteAuth.in(dir.resolve("auth"));
            Process service = startService(stack, dir, port, auth);
            try {
                RegistryBenchmark benchmark = new RegistryBenchmark(port, "Bearer " + auth.adminToken(), new ProcessCpu()
                        .follow("service", service.pid()).follow("redis", stack.redis().pid()).follow("kafka", stack.kafka().pid())
                        .follow("load generator", ProcessHandle.current().pid()));
                try (EventArrivals received = EventArrivals.follow(stack.kafka().bootstrapServers(), Topics.REGISTRY_CHANGES,
                        (key, value) -> key + "/" + revisionOf(value))) {
                    benchmark.received = received;
                    benchmark.run(latencyRate, rampFrom, rampTo, rampStep, warmUpSeconds);
                }
            } finally {
                service.destroy();
                service.waitFor();
            }
        }
        System.exit(0);
    }

    private void run(int latencyRate, int rampFrom, int rampTo, int rampStep, int warmUpSeconds) throws Exception {
        System.out.printf("machine: %d cores, load average %.1f; %d services x %d instances; access control %s; service event loops %d%n",
                Runtime.getRuntime().availableProcessors(), loadAverage(), SERVICES, INSTANCES_PER_SERVICE,
                AUTH ? "on (every call verifies a bearer token)" : "off", EVENT_LOOPS);
        // Every instance once (REGISTERED), a watcher on every service, then warm-up.
        step(1000, Duration.ofSeconds(SERVICES * INSTANCES_PER_SERVICE / 1000 + 1), false);
        watchAll();
        step(latencyRate, Duration.ofSeconds(warmUpSeconds), false);
        Result latency = step(latencyRate, Duration.ofSeconds(20), true);
        System.out.printf("%nlatency at %d registrations/s (%d calls, %.0f/s achieved, %d of %d changes delivered):%n",
                latencyRate, latency.calls, latency.rate, latency.delivered, latency.changes);
        System.out.printf("  register returned -> consumer received: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                latency.fromReturn[0], latency.fromReturn[1], latency.fromReturn[2]);
        System.out.printf("  register sent     -> consumer received: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                latency.fromSend[0], latency.fromSend[1], latency.fromSend[2]);
        System.out.printf("  register returned -> SSE watcher:        p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d of %d changes)%n",
                latency.watchFromReturn[0], latency.watchFromReturn[1], latency.watchFromReturn[2], latency.watchedCount, latency.changes);
        System.out.printf("  register sent     -> SSE watcher:        p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                latency.watchFromSend[0], latency.watchFromSend[1], latency.watchFromSend[2]);
        System.out.printf("  register call (REST round trip):         p50 %.2f ms, p99 %.2f ms%n", latency.call[0], latency.call[1]);
        System.out.printf("  CPU per registration: %s%n", latency.cpuPerCall);

        System.out.printf("%nramp (10 s per step; pass = >= 95%% of the rate, every change delivered, p99 < 1 s):%n");
        int best = 0;
        for (int rate = rampFrom; rate <= rampTo; rate += rampStep) {
            Result r = step(rate, Duration.ofSeconds(10), true);
            boolean pass = r.rate >= rate * 0.95 && r.delivered == r.changes && r.fromReturn[1] < 1000;
            System.out.printf("  target %5d/s: achieved %6.0f/s, delivered %d/%d, p50 %.1f ms, p99 %.1f ms; watchers %d/%d, p50 %.1f ms  %s%n",
                    rate, r.rate, r.delivered, r.changes, r.fromReturn[0], r.fromReturn[1], r.watchedCount, r.changes,
                    r.watchFromReturn[0], pass ? "PASS" : "FAIL");
            System.out.printf("                 CPU per registration: %s%n", r.cpuPerCall);
            if (!pass) {
                break;
            }
            best = rate;
        }
        System.out.printf("%nhighest sustained rate with every change delivered: %d registrations/s%n", best);
    }

    private record Result(long calls, double rate, long changes, long delivered, double[] fromReturn, double[] fromSend, double[] call,
                          long watchedCount, double[] watchFromReturn, double[] watchFromSend, String cpuPerCall) {
    }

    private record Call(String key, long sentNanos, long returnedNanos) {
    }

    /** Registers at {@code rate}/s (open loop, at most 256 in flight) for {@code duration}. */
    private Result step(int rate, Duration duration, boolean measure) throws Exception {
        List<Call> calls = java.util.Collections.synchronizedList(new ArrayList<>());
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        AtomicLong failures = new AtomicLong();
        Map<String, Duration> cpuBefore = cpu.snapshot();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long interval = 1_000_000_000L / rate;
        long next = start;
        long issued = 0;
        while (next < end) {
            long now = System.nanoTime();
            if (now < next) {
                // Parks rather than spins, at least a millisecond: the load generator shares the cores with what it
                // measures. The calls that fell due meanwhile go out together, in one task of the client's event loop.
                java.util.concurrent.locks.LockSupport.parkNanos(Math.max(next - now, TICK_NANOS));
                continue;
            }
            List<Runnable> due = new ArrayList<>();
            while (next <= now && next < end) {
                next += interval;
                if (!inFlight.tryAcquire()) {
                    continue; // the service is saturated: this call is skipped (and the achieved rate drops)
                }
                issued++;
                due.add(call(sequence.getAndIncrement(), now, inFlight, failures, calls));
            }
            if (!due.isEmpty()) {
                vertx.runOnContext(v -> due.forEach(Runnable::run));
            }
        }
        inFlight.acquire(MAX_IN_FLIGHT);
        inFlight.release(MAX_IN_FLIGHT);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failures.get() > 0) {
            System.out.printf("  (%d failed calls)%n", failures.get());
        }
        // Give the last changes time to arrive (a warm-up waits longer: its backlog must not leak into the next step).
        long drainDeadline = System.nanoTime() + Duration.ofSeconds(measure ? 10 : 60).toNanos();
        List<Call> done = new ArrayList<>(calls);
        received.awaitAll(done.stream().map(Call::key).toList(), Duration.ofNanos(drainDeadline - System.nanoTime()));
        if (!measure) {
            return null;
        }
        String cpuPerCall = ProcessCpu.perOperation(cpuBefore, cpu.snapshot(), calls.size()).orElse("(no CPU figures on this system)");
        List<Double> fromReturn = new ArrayList<>();
        List<Double> fromSend = new ArrayList<>();
        List<Double> round = new ArrayList<>();
        List<Double> watchFromReturn = new ArrayList<>();
        List<Double> watchFromSend = new ArrayList<>();
        long delivered = 0;
        for (Call c : done) {
            round.add((c.returnedNanos() - c.sentNanos()) / 1e6);
            Long seen = watched.get(c.key());
            if (seen != null) {
                watchFromReturn.add(Math.max(0, seen - c.returnedNanos()) / 1e6);
                watchFromSend.add((seen - c.sentNanos()) / 1e6);
            }
            Long at = received.arrival(c.key());
            if (at != null) {
                delivered++;
                fromReturn.add(Math.max(0, at - c.returnedNanos()) / 1e6);
                fromSend.add((at - c.sentNanos()) / 1e6);
            }
        }
        return new Result(issued, done.size() / seconds, done.size(), delivered, percentiles(fromReturn), percentiles(fromSend), percentiles(round),
                watchFromReturn.size(), percentiles(watchFromReturn), percentiles(watchFromSend), cpuPerCall);
    }

    /** Registration number {@code n}, sent at {@code sent} (nanoTime): an update of one of the benchmark's instances. */
    private Runnable call(long n, long sent, Semaphore inFlight, AtomicLong failures, List<Call> calls) {
        String service = "bench-" + (n % SERVICES);
        String instance = "node-" + ((n / SERVICES) % INSTANCES_PER_SERVICE);
        String body = "{\"endpoint\":\"http://10.0." + (n % SERVICES) + ".1:8080\",\"attributes\":{\"seq\":\"" + n + "\"},\"ttlSeconds\":3600}";
        String path = "/v1/services/" + service + "/instances/" + instance;
        // the instance's own token, chosen by the benchmark: its first registration adopts it, every later one is
        // an update by the owner (an update without it would be refused, 403)
        String instanceToken = "benchmark-instance-token-" + service + "-" + instance;
        return () -> client.request(io.vertx.core.http.HttpMethod.PUT, port, "127.0.0.1", path)
                .compose(request -> request.putHeader("Content-Type", "application/json")
                        .putHeader("Authorization", authorization).putHeader("X-Maestro-Token", instanceToken).send(body))
                .compose(response -> response.body().map(buffer -> new Object[] {response.statusCode(), buffer}))
                .onComplete(result -> {
                    long returned = System.nanoTime();
                    inFlight.release();
                    if (result.failed() || (int) result.result()[0] >= 300) {
                        failures.incrementAndGet();
                        return;
                    }
                    String revision = revisionOf(((io.vertx.core.buffer.Buffer) result.result()[1]).toString(java.nio.charset.StandardCharsets.UTF_8));
                    if (revision == null) {
                        failures.incrementAndGet();
                    } else {
                        calls.add(new Call(service + "/" + revision, sent, returned));
                    }
                });
    }

    private static double[] percentiles(List<Double> values) {
        return EventArrivals.percentiles(values);
    }

    /** The top-level "revision" of an event, read up to that field only (the consumer must keep up with the relay). */
    private static String revisionOf(String value) {
        try (com.fasterxml.jackson.core.JsonParser parser = JSON.getFactory().createParser(value)) {
            if (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (field.equals("revision")) {
                    return parser.getText();
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException notAnEvent) {
            return null;
        }
    }

    /**
     * Opens an SSE watch on every service (from its current revision on) and records when each change event arrives;
     * returns once every watcher has its first line (the hub's "watching" comment or the snapshot).
     */
    private void watchAll() throws InterruptedException {
        java.util.concurrent.CountDownLatch open = new java.util.concurrent.CountDownLatch(SERVICES);
        for (int s = 0; s < SERVICES; s++) {
            String service = "bench-" + s;
            boolean[] first = {true};
            ChangeEvents events = new ChangeEvents(service);
            watchVertx.runOnContext(v -> watchClient.request(io.vertx.core.http.HttpMethod.GET, port, "127.0.0.1", "/v1/services/" + service + "/watch")
                    .compose(request -> request.putHeader("Accept", "text/event-stream").putHeader("Authorization", authorization).send())
                    .onSuccess(response -> response.handler(buffer -> {
                        long now = System.nanoTime();
                        if (first[0]) {
                            first[0] = false;
                            open.countDown();
                        }
                        events.read(buffer.getBytes(), now);
                    }))
                    .onFailure(failure -> System.out.printf("  (watch of %s failed: %s)%n", service, failure.getMessage())));
        }
        if (!open.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
            System.out.printf("  (only %d of %d watchers opened)%n", SERVICES - open.getCount(), SERVICES);
        }
    }

    /**
     * Notes when each "change" event of one service's SSE stream arrives. Reads the bytes as they come and keeps only
     * the short "event:" and "id:" lines; the data lines (the event's JSON) are skipped undecoded, as the load generator
     * shares the cores with what it measures.
     */
    private final class ChangeEvents {
        private final String service;
        private final byte[] line = new byte[80];
        private int length;
        private String event;
        private String id;

        ChangeEvents(String service) {
            this.service = service;
        }

        void read(byte[] bytes, long now) {
            for (byte b : bytes) {
                if (b == '\n') {
                    endOfLine(now);
                    length = 0;
                } else if (b != '\r' && length < line.length) {
                    line[length++] = b;
                }
            }
        }

        private void endOfLine(long now) {
            if (length == 0) { // end of an event
                if ("change".equals(event) && id != null) {
                    watched.putIfAbsent(service + "/" + id, now);
                }
                event = null;
                id = null;
            } else if (startsWith("event:")) {
                event = field(6);
            } else if (startsWith("id:")) {
                id = field(3);
            }
        }

        private boolean startsWith(String prefix) {
            if (length < prefix.length()) {
                return false;
            }
            for (int i = 0; i < prefix.length(); i++) {
                if (line[i] != prefix.charAt(i)) {
                    return false;
                }
            }
            return true;
        }

        private String field(int from) {
            return new String(line, from, length - from, java.nio.charset.StandardCharsets.US_ASCII).trim();
        }
    }

    private static Process startService(LocalStack stack, Path dir, int port, SuiteAuth auth) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(ServiceProcess.jvmOptions()); // as ./maestro up runs it
        String extra = System.getenv("BENCH_SERVICE_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        String jfr = System.getProperty("bench.jfr");
        if (jfr != null) {
            command.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile");
        }
        for (Map.Entry<String, String> e : stack.quarkusConfig(null).entrySet()) {
            command.add("-D" + e.getKey() + "=" + e.getValue());
        }
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dquarkus.vertx.event-loops-pool-size=" + EVENT_LOOPS);
        command.add("-Dmp.jwt.verify.publickey.location=" + auth.publicKey());
        command.add("-Dmaestro.auth.enabled=" + AUTH);
        command.add("-Dquarkus.log.level=WARN");
        command.add("-jar");
        command.add(Path.of("registry-service", "target", "quarkus-app", "quarkus-run.jar").toAbsolutePath().toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("service.log").toFile()).start();
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> ready = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return process;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        process.destroy();
        throw new IllegalStateException("registry-service not ready; see " + dir.resolve("service.log"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
