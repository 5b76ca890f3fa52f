package io.maestro.suite.bench;

import io.maestro.events.Topics;
import io.maestro.localstack.Directories;
import io.maestro.localstack.LocalStack;
import io.maestro.localstack.StackSecurity;
import io.maestro.localstack.Suite;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code ./maestro up --secure} costs: the plaintext and the secured suite (each its own stack and one replica of
 * each service, normal JIT, as {@code ./maestro up} runs them), started one after the other (start times of stack
 * and services), then the same registrations sent to both, interleaved in rounds: the time from a registration's
 * request to its {@code maestro.registry.changes} record reaching a Kafka consumer (a new service name per request,
 * so each makes one record), one at a time. Prints p50 and p99 of each and the differences.
 *
 * <p>{@code suite-tests/secure-bench.sh [rounds, default 5] [registrations per round and variant, default 40]}
 */
public final class SecureOverheadBenchmark {

    private record Variant(String label, LocalStack stack, Suite suite, HttpClient http, KafkaConsumer<String, String> consumer) {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        Path repo = Path.of("").toAbsolutePath();
        Path dir = repo.resolve("suite-tests/target/secure-bench");
        Directories.deleteTree(dir);
        Files.createDirectories(dir);
        List<Variant> variants = new ArrayList<>();
        try {
            for (boolean secured : new boolean[]{false, true}) {
                String label = secured ? "secured" : "plain";
                Path variantDir = dir.resolve(label);
                Instant begin = Instant.now();
                LocalStack stack = new LocalStack(variantDir, 0, 0, 0, secured).start();
                Instant stackReady = Instant.now();
                Suite suite = new Suite(stack, repo, variantDir, true, 1, Map.of(), false).start(Duration.ofSeconds(240));
                Instant suiteReady = Instant.now();
                System.out.printf("%-8s stack ready in %5.1f s, services ready %5.1f s later, %5.1f s in all%n", label,
                        seconds(begin, stackReady), seconds(stackReady, suiteReady), seconds(begin, suiteReady));
                HttpClient http = secured
                        ? HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(stack.security().ca().clientContext()).build()
                        : HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                variants.add(new Variant(label, stack, suite, http, consumer(stack)));
            }
            Map<String, List<Double>> millis = new HashMap<>();
            System.out.printf("warming up (%d registrations per variant) ...%n", perRound);
            for (Variant variant : variants) {
                measure(variant, "warm", perRound, new ArrayList<>());
            }
            for (int round = 1; round <= rounds; round++) {
                for (Variant variant : round % 2 == 0 ? variants : List.of(variants.get(1), variants.get(0))) {
                    measure(variant, "r" + round, perRound, millis.computeIfAbsent(variant.label, k -> new ArrayList<>()));
                }
            }
            System.out.printf("%nregister -> Kafka consumer, one at a time, %d rounds of %d per variant%n", rounds, perRound);
            System.out.printf("%-10s %10s %10s%n", "variant", "p50 ms", "p99 ms");
            for (Variant variant : variants) {
                System.out.printf("%-10s %10.2f %10.2f%n", variant.label, Percentiles.of(millis.get(variant.label), 50),
                        Percentiles.of(millis.get(variant.label), 99));
            }
            System.out.printf("%-10s %10.2f%n", "secured adds", Percentiles.of(millis.get("secured"), 50) - Percentiles.of(millis.get("plain"), 50));
        } finally {
            for (Variant variant : variants) {
                variant.consumer.close();
                variant.suite.close();
                variant.stack.close();
            }
        }
    }

    /** Registers a new service per request and waits for its change record on the consumer. */
    private static void measure(Variant variant, String round, int requests, List<Double> samples) throws Exception {
        String registry = variant.suite.service("registry-service").url();
        String token = variant.suite.auth().adminToken();
        for (int i = 0; i < requests; i++) {
            String service = "bench-" + round + "-" + i;
            HttpRequest put = HttpRequest.newBuilder(URI.create(registry + "/v1/services/" + service + "/instances/a"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(30))
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"endpoint\":\"http://10.0.0.1:8080\",\"ttlSeconds\":300}")).build();
            long start = System.nanoTime();
            HttpResponse<String> answer = variant.http.send(put, HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 201) {
                throw new IllegalStateException(variant.label + " register answered " + answer.statusCode() + ": " + answer.body());
            }
            long deadline = start + Duration.ofSeconds(30).toNanos();
            boolean seen = false;
            while (!seen) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(variant.label + ": no change record for " + service + " within 30 s");
                }
                for (ConsumerRecord<String, String> record : variant.consumer.poll(Duration.ofMillis(5))) {
                    seen |= service.equals(record.key());
                }
            }
            samples.add((System.nanoTime() - start) / 1e6);
        }
    }

    /** A consumer at the end of the changes topic, as the administrator on a secured stack. */
    private static KafkaConsumer<String, String> consumer(LocalStack stack) {
        Map<String, Object> config = new HashMap<>(stack.secured()
                ? stack.security().kafkaClientConfig(stack.kafka().bootstrapServers(), StackSecurity.ADMIN)
                : Map.of("bootstrap.servers", stack.kafka().bootstrapServers()));
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (partitions.isEmpty() && System.nanoTime() < deadline) {
            consumer.partitionsFor(Topics.REGISTRY_CHANGES, Duration.ofSeconds(10))
                    .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

}
