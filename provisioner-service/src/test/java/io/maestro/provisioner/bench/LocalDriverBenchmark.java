package io.maestro.provisioner.bench;

import io.maestro.provisioner.config.ProvisionerConfig;
import io.maestro.provisioner.driver.DriverContext;
import io.maestro.provisioner.driver.DriverNode;
import io.maestro.provisioner.driver.NodeSlot;
import io.maestro.provisioner.driver.local.LocalSshDriver;
import io.maestro.provisioner.ssh.ExecOutcome;
import io.maestro.provisioner.ssh.ServiceIdentity;
import io.maestro.provisioner.ssh.SshRunner;
import io.maestro.provisioner.ssh.SshTarget;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

/**
 * Local driver figures for the README: time to launch local nodes (10 by default) until every node answers SSH (host
 * key verified, key authenticated), and time to exec {@code uname -a} on all of them, {@code forks} at once, vs on one.
 * Uses the service's own driver and SSH runner, without Kafka or PostgreSQL. Run from the repository root:
 * <pre>
 * ./mvnw -B -o -q -pl provisioner-service test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test \
 *   &amp;&amp; java -cp provisioner-service/target/test-classes:provisioner-service/target/classes:$(cat provisioner-service/target/bench.cp) \
 *      io.maestro.provisioner.bench.LocalDriverBenchmark
 * </pre>
 */
public final class LocalDriverBenchmark {
    public static void main(String[] args) throws Exception {
        // bench.sh local [nodes [forks [launch rounds [exec rounds]]]]
        int nodeCount = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int forks = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int launchRounds = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        int execRounds = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        Path dataDir = Files.createTempDirectory("provisioner-bench");
        ProvisionerConfig config = io.maestro.provisioner.TestConfig.of(dataDir, null);
        ServiceIdentity identity = new ServiceIdentity(config);
        LocalSshDriver driver = new LocalSshDriver(config);
        SshRunner ssh = new SshRunner(identity, config);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(nodeCount, forks));
        List<NodeSlot> slots = IntStream.range(0, nodeCount).mapToObj(i -> new NodeSlot(i, null)).toList();
        try {
            List<Double> launches = new ArrayList<>();
            List<DriverNode> nodes = List.of();
            for (int round = 0; round < launchRounds; round++) {
                DriverContext context = new DriverContext("bench-" + round, "bench", null, identity.publicKey(), Map.of());
                long start = System.nanoTime();
                nodes = driver.start(context, "n", slots);
                List<CompletableFuture<Void>> probes = nodes.stream().map(node -> CompletableFuture.runAsync(() -> probe(ssh, node), pool)).toList();
                probes.forEach(CompletableFuture::join);
                launches.add(millis(start));
                if (round < launchRounds - 1) {
                    driver.destroy(context, "n", slots);
                }
            }
            List<DriverNode> cluster = nodes;
            List<Double> onAll = new ArrayList<>();
            List<Double> onOne = new ArrayList<>();
            for (int round = 0; round < execRounds; round++) {
                long start = System.nanoTime();
                cluster.stream().map(node -> CompletableFuture.supplyAsync(() -> exec(ssh, node), pool)).toList()
                        .forEach(CompletableFuture::join);
                onAll.add(millis(start));
                start = System.nanoTime();
                exec(ssh, cluster.get(0));
                onOne.add(millis(start));
            }
            report("launch " + nodeCount + " local nodes until all answer SSH", launches);
            report("exec 'uname -a' on " + nodeCount + " nodes (parallel)", onAll);
            report("exec 'uname -a' on 1 node", onOne);
            System.out.printf("exec on %d / exec on 1 (medians): %.2f%n", nodeCount, median(onAll) / median(onOne));
        } finally {
            pool.shutdownNow();
            driver.shutdown();
            ssh.stop();
        }
    }

    private static void probe(SshRunner ssh, DriverNode node) {
        try {
            ssh.probe(target(node));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ExecOutcome exec(SshRunner ssh, DriverNode node) {
        ExecOutcome outcome = ssh.exec(target(node), "uname -a", Duration.ofSeconds(30));
        if (!Integer.valueOf(0).equals(outcome.exitCode())) {
            throw new IllegalStateException("exec failed: " + outcome);
        }
        return outcome;
    }

    private static SshTarget target(DriverNode node) {
        return new SshTarget(node.address(), node.port(), node.username(), node.hostKey());
    }

    private static double millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static void report(String what, List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        double p99 = sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1));
        System.out.printf("%-50s n=%d median %.1f ms, p99 %.1f ms%n", what, values.size(), median(values), p99);
    }

    private LocalDriverBenchmark() {
    }
}
