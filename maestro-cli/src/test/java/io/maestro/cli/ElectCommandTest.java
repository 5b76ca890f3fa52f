package io.maestro.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code maestro elect}: the CLI in processes of its own against the real election service. */
class ElectCommandTest {
    @BeforeAll
    static void suite() {
        SuiteFixture.start();
    }

    /** Appends the time (ms) every 10 ms to {@code <dir>/<fencing token>-<id>} while it runs. */
    private static final String TICKER = "f=\"$0/$MAESTRO_FENCING_TOKEN-$1\"; while :; do date +%s%3N >> \"$f\"; sleep 0.01; done";

    private static Process elect(String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), MaestroCli.class.getName(), "elect"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(Map.of("MAESTRO_ELECTION_URL", SuiteFixture.url("election-service"), "MAESTRO_TOKEN", SuiteFixture.adminToken()));
        return builder.start();
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private static List<Long> uncheckedTicks(Path file) {
        try {
            return ticks(file);
        } catch (IOException | NumberFormatException e) { // a line being written
            return List.of();
        }
    }

    private static List<Long> ticks(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(line -> !line.isBlank()).map(Long::parseLong).toList();
    }

    @Test
    void theCommandRunsWithItsGroupAndFencingTokenAndElectExitsWithItsCode() throws Exception {
        Path dir = Files.createTempDirectory("elect");
        String group = "elect-" + UUID.randomUUID().toString().substring(0, 8);
        Process elect = elect(group, "--", "sh", "-c", "echo \"$MAESTRO_GROUP $MAESTRO_FENCING_TOKEN $MAESTRO_LEASE_DEADLINE\" > $0/ran; exit 7",
                dir.toString());
        assertThat(elect.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(elect.exitValue()).isEqualTo(7);
        String[] ran = Files.readString(dir.resolve("ran")).strip().split(" ");
        assertThat(ran[0]).isEqualTo(group);
        assertThat(Long.parseLong(ran[1])).isPositive();
        assertThat(java.time.Instant.parse(ran[2])).isAfter(java.time.Instant.now().minusSeconds(60));
    }

    @Test
    void killingTheLeadersCliStopsItsCommandBeforeTheNextOneStartsWithALargerToken() throws Exception {
        long ttlMillis = 2000;
        for (int run = 1; run <= 20; run++) {
            Path dir = Files.createTempDirectory("elect-run" + run);
            String group = "elect-kill-" + UUID.randomUUID().toString().substring(0, 8);
            Process a = elect(group, "--id", "a", "--ttl", "2s", "--", "sh", "-c", TICKER, dir.toString(), "a");
            Process b = elect(group, "--id", "b", "--ttl", "2s", "--", "sh", "-c", TICKER, dir.toString(), "b");
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> files(dir).size() == 1);
                String first = files(dir).get(0).getFileName().toString();
                Process leader = first.endsWith("-a") ? a : b;
                Thread.sleep(ThreadLocalRandom.current().nextLong(100, 1000));
                long killedAt = System.currentTimeMillis();
                leader.destroyForcibly(); // kill -9: no hook runs
                await().atMost(Duration.ofSeconds(30)).until(() -> files(dir).size() == 2
                        && files(dir).stream().allMatch(file -> !uncheckedTicks(file).isEmpty()));
                List<Path> both = files(dir);
                Path was = both.stream().filter(p -> p.getFileName().toString().equals(first)).findFirst().orElseThrow();
                Path next = both.stream().filter(p -> !p.equals(was)).findFirst().orElseThrow();
                long firstToken = Long.parseLong(first.split("-")[0]);
                long nextToken = Long.parseLong(next.getFileName().toString().split("-")[0]);
                List<Long> before = ticks(was);
                List<Long> after = ticks(next);
                System.out.printf("elect run %2d: the killed leader's command stopped %4d ms after the kill, the next started %4d ms after it (token %d -> %d)%n",
                        run, before.get(before.size() - 1) - killedAt, after.get(0) - killedAt, firstToken, nextToken);
                assertThat(nextToken).as("run %d", run).isGreaterThan(firstToken);
                assertThat(before.get(before.size() - 1)).as("run %d: the killed leader's command ended before the next started", run)
                        .isLessThan(after.get(0));
                assertThat(before.get(before.size() - 1)).as("run %d: and before its lease could run out", run)
                        .isLessThan(killedAt + ttlMillis);
            } finally {
                a.destroy();
                b.destroy();
                assertThat(a.waitFor(30, TimeUnit.SECONDS) && b.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
        }
    }
}
