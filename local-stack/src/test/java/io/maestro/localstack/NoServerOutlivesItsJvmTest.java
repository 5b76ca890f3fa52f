package io.maestro.localstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A JVM running the stack is killed with -9: Kafka, Redis and PostgreSQL must die with it. */
class NoServerOutlivesItsJvmTest {
    @TempDir
    Path dir;

    @Test
    void killingTheJvmWithSignal9LeavesNoServerBehind() throws Exception {
        assertThat(ChildProcesses.hasDeathSignal()).as("setpriv (util-linux) is installed").isTrue();
        Process runner = StackOnlyRunner.start(dir);
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> StackOnlyRunner.state(dir).startsWith("READY")
                    || StackOnlyRunner.state(dir).startsWith("FAILED") || !runner.isAlive());
            assertThat(StackOnlyRunner.state(dir)).as("runner output: %s", StackOnlyRunner.output(dir)).startsWith("READY");
            List<ProcessHandle> servers = runner.descendants().toList();
            List<String> commands = servers.stream().map(p -> p.info().command().orElse("?")).toList();
            assertThat(commands).as("children of the runner").anyMatch(c -> c.endsWith("java"))
                    .anyMatch(c -> c.contains("redis-server")).anyMatch(c -> c.endsWith("postgres"));

            new ProcessBuilder("kill", "-9", Long.toString(runner.pid())).start().waitFor();

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(servers).as("servers still alive after kill -9 of their JVM").noneMatch(ProcessHandle::isAlive));
        } finally {
            runner.descendants().forEach(ProcessHandle::destroyForcibly);
            runner.destroyForcibly();
        }
    }
}
