package io.maestro.localstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Readiness is a ready answer from the server's own process: real child processes ({@code sh}, {@code sleep}) whose
 * port is held by another process, this test's JVM, as when two servers were given one port.
 */
class ManagedServerTest {
    @TempDir
    Path dir;

    /** A real process run from {@code command}, ready when something accepts on its port. */
    static final class ShellServer extends ManagedServer {
        private final String command;

        ShellServer(String name, Path dir, int port, String command) {
            super(name, dir.resolve(name), port);
            this.command = command;
        }

        @Override
        protected Process launch() throws IOException {
            Files.createDirectories(workDir);
            return ChildProcesses.start(List.of("sh", "-c", command), workDir, log(), "TERM", false);
        }

        @Override
        protected boolean isReady() {
            return Ports.accepts(port);
        }

        @Override
        protected String stopSignal() {
            return "TERM";
        }
    }

    @Test
    void aServerThatDiesWhileAnotherAnswersOnItsPortFailsTheStartNamingItAndItsLog() throws Exception {
        try (ServerSocket other = listenOnAnyAddress()) {
            ShellServer server = new ShellServer("dying-service", dir, other.getLocalPort(),
                    "sleep 1; echo 'Port already bound: Address already in use'; exit 3");

            assertThatThrownBy(() -> server.start(Duration.ofSeconds(60)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("dying-service exited with 3 before it was ready")
                    .hasMessageContaining(server.log().toString())
                    .hasMessageContaining("Address already in use");
            assertThat(server.state()).startsWith("dead (exit 3)");
        }
    }

    @Test
    void aReadyAnswerFromAnotherProcessIsNotReadiness() throws Exception {
        try (ServerSocket other = listenOnAnyAddress()) {
            ShellServer server = new ShellServer("impostor-victim", dir, other.getLocalPort(), "exec sleep 600");

            assertThatThrownBy(() -> server.start(Duration.ofSeconds(3)))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("impostor-victim not ready within 3 s")
                    .hasMessageContaining("port " + other.getLocalPort() + " answers, but from pid [" + ProcessHandle.current().pid() + "]");
            assertThat(server.isAlive()).as("stopped after the timeout").isFalse();
        }
    }

    @Test
    void theFirstServerToDieEndsTheOtherStartsAtOnce() throws Exception {
        ShellServer slow = new ShellServer("never-ready", dir, Ports.free(), "exec sleep 600");
        ShellServer dying = new ShellServer("dies-at-once", dir, Ports.free(), "echo 'bad configuration'; exit 1");
        Instant begin = Instant.now();

        assertThatThrownBy(() -> ManagedServer.startAll(List.of(slow, dying), Duration.ofSeconds(200)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("dies-at-once exited with 1 before it was ready; log " + dying.log())
                .hasMessageContaining("bad configuration");
        // Far below the 200 s the other start would wait for; generous for a loaded machine.
        assertThat(Duration.between(begin, Instant.now())).isLessThan(Duration.ofSeconds(100));
        assertThat(slow.isAlive()).as("the other server is stopped, not left running").isFalse();
        assertThat(slow.state()).isEqualTo("stopped");
    }

    private static ServerSocket listenOnAnyAddress() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress("0.0.0.0", 0));
        return socket;
    }
}
