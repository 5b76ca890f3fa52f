package io.maestro.localstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What {@code ./maestro status} reads: each server's own state, and which one died and where its log is. */
class SuiteRunnerStateTest {
    @TempDir
    Path dir;

    @Test
    void theRunnerKeepsEachServersOwnStateAndNamesTheOneThatDiedWithItsLog() throws Exception {
        Process runner = StackOnlyRunner.start(dir);
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> StackOnlyRunner.state(dir).startsWith("READY")
                    || StackOnlyRunner.state(dir).startsWith("FAILED") || !runner.isAlive());
            assertThat(StackOnlyRunner.state(dir)).as("runner output: %s", StackOnlyRunner.output(dir)).startsWith("READY");
            Map<String, String[]> servers = serversState();
            assertThat(servers).containsOnlyKeys("kafka", "redis", "postgres");
            assertThat(servers.values()).allSatisfy(fields -> {
                assertThat(fields[2]).as(fields[0]).isEqualTo("running");
                assertThat(ProcessHandle.of(Long.parseLong(fields[1])).map(ProcessHandle::isAlive)).as(fields[0]).contains(true);
            });
            String redisLog = servers.get("redis")[4];

            long redis = Long.parseLong(servers.get("redis")[1]);
            new ProcessBuilder("kill", "-9", Long.toString(redis)).start().waitFor();

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(serversState().get("redis")[2]).startsWith("dead (exit");
                assertThat(StackOnlyRunner.state(dir)).startsWith("DEGRADED: redis dead").contains(redisLog);
            });
            assertThat(serversState().get("kafka")[2]).isEqualTo("running");
            assertThat(serversState().get("postgres")[2]).isEqualTo("running");
        } finally {
            runner.destroy(); // TERM: the runner stops its servers
            runner.waitFor(60, TimeUnit.SECONDS);
            runner.descendants().forEach(ProcessHandle::destroyForcibly);
            runner.destroyForcibly();
        }
    }

    /** servers.state: name, pid, state, address, log per line, tab-separated. */
    private Map<String, String[]> serversState() {
        Map<String, String[]> servers = new LinkedHashMap<>();
        StackOnlyRunner.read(dir.resolve(SuiteRunner.SERVERS_STATE)).lines().filter(line -> !line.startsWith("#"))
                .map(line -> line.split("\t")).forEach(fields -> servers.put(fields[0], fields));
        assertThat(servers.values()).allSatisfy(fields -> assertThat(fields).as(Arrays.toString(fields)).hasSize(5));
        return servers;
    }
}
