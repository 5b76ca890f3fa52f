package io.maestro.provisioner.bench;

import io.maestro.provisioner.TestConfig;
import io.maestro.provisioner.TestKeys;
import io.maestro.provisioner.driver.DriverContext;
import io.maestro.provisioner.driver.NodeSlot;
import io.maestro.provisioner.driver.ec2.Ec2Driver;
import io.maestro.provisioner.driver.ec2.Ec2TestDouble;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * The aws-ec2 driver launching 100 nodes in one group against the EC2 test double: API calls by action and wall time
 * until every instance runs and its host key is known (the double has instances pending for two looks and unknown
 * to DescribeInstances-by-id right after launch). Run from the repository root:
 * <pre>
 * ./mvnw -B -o -q -pl provisioner-service test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test \
 *   &amp;&amp; java -cp provisioner-service/target/test-classes:provisioner-service/target/classes:$(cat provisioner-service/target/bench.cp) \
 *      io.maestro.provisioner.bench.Ec2DriverBenchmark
 * </pre>
 */
public final class Ec2DriverBenchmark {
    private static final int NODES = 100;
    private static final int ROUNDS = 5;

    public static void main(String[] args) throws Exception {
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
        System.setProperty("aws.secretAccessKey", "benchmark-only-secret");
        List<Double> times = new ArrayList<>();
        Map<String, Long> calls = new TreeMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            try (Ec2TestDouble ec2 = new Ec2TestDouble()) {
                Ec2Driver driver = new Ec2Driver(TestConfig.of(Path.of("target"), TestConfig.ec2(ec2.endpoint(), 1000)));
                DriverContext context = new DriverContext("bench", "launch-" + round, null, TestKeys.userKeyPair().getPublic(),
                        Map.of("imageId", "ami-12345678"));
                List<NodeSlot> slots = IntStream.range(0, NODES).mapToObj(i -> new NodeSlot(i, null)).toList();
                long start = System.nanoTime();
                driver.prepare(context, "worker", NODES, false);
                int started = driver.start(context, "worker", slots).size();
                times.add((System.nanoTime() - start) / 1e6);
                if (started != NODES) {
                    throw new IllegalStateException("started " + started);
                }
                calls.clear();
                ec2.calls.forEach(c -> calls.merge(c.action(), 1L, Long::sum));
                driver.close();
            }
        }
        Collections.sort(times);
        System.out.printf("launch %d nodes in one group (incl. security group, wait for running, host keys): n=%d median %.0f ms, p99 %.0f ms%n",
                NODES, ROUNDS, times.get(ROUNDS / 2), times.get(ROUNDS - 1));
        System.out.println("API calls in one launch: " + calls);
    }

    private Ec2DriverBenchmark() {
    }
}
