package io.maestro.localstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
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
        String classpath = Path.of("target/classes").toAbsolutePath() + File.pathSeparator
                + Files.readString(Path.of("target/local-stack.classpath")).trim();
        Process runner = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, SuiteRunner.class.getName(), "--stack-only", "--free-ports", "--dir", dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("runner.out").toFile())
                .start();
        try {
            await().atMost(Duration.ofSeconds(90)).until(() -> stateOf(dir).startsWith("READY") || stateOf(dir).startsWith("FAILED") || !runner.isAlive());
            assertThat(stateOf(dir)).as("runner output: %s", Files.exists(dir.resolve("runner.out")) ? Files.readString(dir.resolve("runner.out")) : "")
                    .startsWith("READY");
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

    private static String stateOf(Path dir) {
        try {
            return Files.readString(dir.resolve("runner.state"));
        } catch (Exception e) {
            return "";
        }
    }
}
