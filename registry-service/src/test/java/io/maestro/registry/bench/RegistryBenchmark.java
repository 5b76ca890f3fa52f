package io.maestro.registry.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.events.Topics;
import io.maestro.localstack.LocalStack;
import io.maestro.localstack.SuiteAuth;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End-to-end latency and throughput of the registry: REST register call -> Redis (Lua) -> keyspace notification ->
 * bridge -> Kafka -> a consumer. It starts its own local stack and the packaged service as a child process, keeps
 * 100 services of 10 instances each (so every record carries a 10-instance list) and re-registers them with a
 * changed attribute, so every call is a change with a new revision.
 *
 * <ol>
 *   <li>Latency at 1,000 registrations/s (open loop, 5 s warm-up, 20 s measured): from the register call returning
 *       to the consumer receiving the record of the revision it returned (p50, p99, max), and the same from the
 *       call being sent.</li>
 *   <li>Highest sustained rate: steps of 10 s at increasing rates; a step passes when the achieved call rate is at
 *       least 95 % of the target, every change is delivered to the consumer and the p99 latency stays under 1 s.</li>
 * </ol>
 *
 * <p>Run from the repository root:
 * <pre>
 * ./mvnw -B -o -pl registry-service package -DskipTests dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test \
 *   &amp;&amp; java -cp "registry-service/target/test-classes:$(cat registry-service/target/bench.cp)" io.maestro.registry.bench.RegistryBenchmark
 * </pre>
 * Arguments (optional): latency rate (default 1000), first and last rate of the ramp (default 2000 and 8000), step (1000).
 * Every call carries the suite's admin token (a key pair made under {@code target/bench-stack/auth}); with
 * {@code BENCH_AUTH=off} in the environment the service runs with access control off ({@code maestro.auth.enabled=false}), to
 * measure what token verification costs.
 */
public final class RegistryBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SERVICES = 100;
    private static final int INSTANCES_PER_SERVICE = 10;
    private static final int MAX_IN_FLIGHT = 256;

    private final io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx(new io.vertx.core.VertxOptions().setEventLoopPoolSize(1));
    private final io.vertx.core.http.HttpClient client = vertx.createHttpClient(new io.vertx.core.http.HttpClientOptions().setKeepAlive(true),
            new io.vertx.core.http.PoolOptions().setHttp1MaxSize(64).setMaxWaitQueueSize(-1));
    private static final boolean AUTH = !"off".equals(System.getenv("BENCH_AUTH"));

    private final int port;
    private final String authorization;
    /** "service/revision" -> nanoTime the consumer received it. */
    private final Map<String, Long> received = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    private RegistryBenchmark(int port, String authorization) {
        this.port = port;
        this.authorization = authorization;
    }

    public static void main(String[] args) throws Exception {
        int latencyRate = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rampFrom = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int rampTo = args.length > 2 ? Integer.parseInt(args[2]) : 8000;
        int rampStep = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        Path dir = Path.of("registry-service", "target", "bench-stack").toAbsolutePath();
        deleteTree(dir);
        Files.createDirectories(dir);
        try (LocalStack stack = LocalStack.onFreePorts(dir).start()) {
            int port = freePort();
            SuiteAuth auth = SuiteAuth.in(dir.resolve("auth"));
            Process service = startService(stack, dir, port, auth);
            try {
                RegistryBenchmark benchmark = new RegistryBenchmark(port, "Bearer " + auth.adminToken());
                Thread consumer = benchmark.consume(stack.kafka().bootstrapServers());
                benchmark.run(latencyRate, rampFrom, rampTo, rampStep);
                consumer.interrupt();
            } finally {
                service.destroy();
                service.waitFor();
            }
        }
        System.exit(0);
    }

    private void run(int latencyRate, int rampFrom, int rampTo, int rampStep) throws Exception {
        System.out.printf("machine: %d cores, load average %.1f; %d services x %d instances; access control %s%n",
                Runtime.getRuntime().availableProcessors(), loadAverage(), SERVICES, INSTANCES_PER_SERVICE,
                AUTH ? "on (every call verifies a bearer token)" : "off");
        // Every instance once (REGISTERED), then warm-up.
        step(1000, Duration.ofSeconds(SERVICES * INSTANCES_PER_SERVICE / 1000 + 1), false);
        step(latencyRate, Duration.ofSeconds(5), false);
        Result latency = step(latencyRate, Duration.ofSeconds(20), true);
        System.out.printf("%nlatency at %d registrations/s (%d calls, %.0f/s achieved, %d of %d changes delivered):%n",
                latencyRate, latency.calls, latency.rate, latency.delivered, latency.changes);
        System.out.printf("  register returned -> consumer received: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                latency.fromReturn[0], latency.fromReturn[1], latency.fromReturn[2]);
        System.out.printf("  register sent     -> consumer received: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                latency.fromSend[0], latency.fromSend[1], latency.fromSend[2]);
        System.out.printf("  register call (REST round trip):         p50 %.2f ms, p99 %.2f ms%n", latency.call[0], latency.call[1]);

        System.out.printf("%nramp (10 s per step; pass = >= 95%% of the rate, every change delivered, p99 < 1 s):%n");
        int best = 0;
        for (int rate = rampFrom; rate <= rampTo; rate += rampStep) {
            Result r = step(rate, Duration.ofSeconds(10), true);
            boolean pass = r.rate >= rate * 0.95 && r.delivered == r.changes && r.fromReturn[1] < 1000;
            System.out.printf("  target %5d/s: achieved %6.0f/s, delivered %d/%d, p50 %.1f ms, p99 %.1f ms  %s%n",
                    rate, r.rate, r.delivered, r.changes, r.fromReturn[0], r.fromReturn[1], pass ? "PASS" : "FAIL");
            if (!pass) {
                break;
            }
            best = rate;
        }
        System.out.printf("%nhighest sustained rate with every change delivered: %d registrations/s%n", best);
    }

    private record Result(long calls, double rate, long changes, long delivered, double[] fromReturn, double[] fromSend, double[] call) {
    }

    private record Call(String key, long sentNanos, long returnedNanos) {
    }

    /** Registers at {@code rate}/s (open loop, at most 256 in flight) for {@code duration}. */
    private Result step(int rate, Duration duration, boolean measure) throws Exception {
        List<Call> calls = java.util.Collections.synchronizedList(new ArrayList<>());
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        AtomicLong failures = new AtomicLong();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long interval = 1_000_000_000L / rate;
        long next = start;
        long issued = 0;
        while (next < end) {
            long now = System.nanoTime();
            if (now < next) {
                long wait = next - now;
                if (wait > 200_000) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                continue;
            }
            next += interval;
            if (!inFlight.tryAcquire()) {
                continue; // the service is saturated: this call is skipped (and the achieved rate drops)
            }
            long n = sequence.getAndIncrement();
            String service = "bench-" + (n % SERVICES);
            String instance = "node-" + ((n / SERVICES) % INSTANCES_PER_SERVICE);
            String body = "{\"endpoint\":\"http://10.0." + (n % SERVICES) + ".1:8080\",\"attributes\":{\"seq\":\"" + n + "\"},\"ttlSeconds\":3600}";
            long sent = System.nanoTime();
            issued++;
            String path = "/v1/services/" + service + "/instances/" + instance;
            // the instance's own token, chosen by the benchmark: its first registration adopts it, every later one is
            // an update by the owner (an update without it would be refused, 403)
            String instanceToken = "benchmark-instance-token-" + service + "-" + instance;
            vertx.runOnContext(v -> client.request(io.vertx.core.http.HttpMethod.PUT, port, "127.0.0.1", path)
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
                        try {
                            long revision = JSON.readTree(((io.vertx.core.buffer.Buffer) result.result()[1]).getBytes()).path("revision").asLong();
                            calls.add(new Call(service + "/" + revision, sent, returned));
                        } catch (IOException e) {
                            failures.incrementAndGet();
                        }
                    }));
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
        while (System.nanoTime() < drainDeadline && !done.stream().allMatch(c -> received.containsKey(c.key()))) {
            Thread.sleep(50);
        }
        if (!measure) {
            return null;
        }
        List<Double> fromReturn = new ArrayList<>();
        List<Double> fromSend = new ArrayList<>();
        List<Double> round = new ArrayList<>();
        long delivered = 0;
        for (Call c : done) {
            round.add((c.returnedNanos() - c.sentNanos()) / 1e6);
            Long at = received.get(c.key());
            if (at != null) {
                delivered++;
                fromReturn.add(Math.max(0, at - c.returnedNanos()) / 1e6);
                fromSend.add((at - c.sentNanos()) / 1e6);
            }
        }
        return new Result(issued, done.size() / seconds, done.size(), delivered, percentiles(fromReturn), percentiles(fromSend), percentiles(round));
    }

    private static double[] percentiles(List<Double> values) {
        if (values.isEmpty()) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        return new double[] {sorted[(int) (sorted.length * 0.50)], sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))], sorted[sorted.length - 1]};
    }

    private Thread consume(String bootstrapServers) throws InterruptedException {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000));
        Object ready = new Object();
        boolean[] assigned = {false};
        Thread thread = new Thread(() -> {
            try (consumer) {
                List<TopicPartition> partitions = List.of();
                while (partitions.isEmpty()) {
                    var infos = consumer.partitionsFor(Topics.REGISTRY_CHANGES, Duration.ofSeconds(10));
                    partitions = infos == null ? List.of() : infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                synchronized (ready) {
                    assigned[0] = true;
                    ready.notifyAll();
                }
                while (!Thread.currentThread().isInterrupted()) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(20))) {
                        long now = System.nanoTime();
                        try {
                            JsonNode value = JSON.readTree(record.value());
                            received.putIfAbsent(record.key() + "/" + value.path("revision").asLong(), now);
                        } catch (IOException ignored) {
                            // not a registry event
                        }
                    }
                }
            } catch (org.apache.kafka.common.errors.InterruptException stop) {
                // done
            }
        }, "bench-consumer");
        thread.setDaemon(true);
        thread.start();
        synchronized (ready) {
            while (!assigned[0]) {
                ready.wait(1_000);
            }
        }
        return thread;
    }

    private static Process startService(LocalStack stack, Path dir, int port, SuiteAuth auth) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m"));
        String jfr = System.getProperty("bench.jfr");
        if (jfr != null) {
            command.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile");
        }
        for (Map.Entry<String, String> e : stack.quarkusConfig(null).entrySet()) {
            command.add("-D" + e.getKey() + "=" + e.getValue());
        }
        command.add("-Dquarkus.http.port=" + port);
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
