package io.maestro.localstack;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PortsTest {
    @Test
    void freePortsAreNeverHandedOutTwiceAndStayClearOfTheEphemeralRange() {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ports.add(Ports.free());
        }
        assertThat(ports).doesNotHaveDuplicates().allSatisfy(port -> assertThat(Ports.isFree(port)).isTrue());
        int ephemeral = Ports.ephemeralRangeStart();
        if (Files.exists(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            assertThat(ephemeral).as("the first ephemeral port, as Linux says").isBetween(1024, 65535);
        }
        if (ephemeral - 20000 >= 1000) {
            // Where the OS leaves room below its ephemeral range, no client connection can take these ports.
            assertThat(ports).allSatisfy(port -> assertThat(port).isBetween(20000, ephemeral - 1));
        }
    }

    @Test
    void aPortWhoseLastConnectionLingersInTimeWaitIsFreeAndStaysThePreferredChoice() throws IOException {
        int port;
        try (ServerSocket listener = new ServerSocket()) {
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(Ports.LOOPBACK, 0));
            port = listener.getLocalPort();
            try (Socket client = new Socket(Ports.LOOPBACK, port); Socket accepted = listener.accept()) {
                // The server side closes first, as a service does at shutdown: the TIME_WAIT stays on its port.
                accepted.close();
                assertThat(client.getInputStream().read()).as("end of stream").isEqualTo(-1);
            }
        }
        int timeWaitPort = port;
        await().atMost(Duration.ofSeconds(20)).until(() -> hasTimeWaitConnection(timeWaitPort)); // lasts 60 s on Linux

        assertThat(Ports.isFree(port)).as("port %d with a connection in TIME_WAIT", port).isTrue();
        assertThat(Ports.preferredOrNext(port)).isEqualTo(port);
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true); // as Vert.x, Kafka, Redis and PostgreSQL bind
            server.bind(new InetSocketAddress(Ports.LOOPBACK, port));
            assertThat(server.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void portsChosenBeforeAnyServerBindsNeverCollide() throws IOException {
        int preferred;
        try (ServerSocket probe = new ServerSocket(0)) {
            preferred = probe.getLocalPort();
        }
        List<Integer> chosen = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            chosen.add(Ports.preferredOrNext(preferred)); // as the suite picks 8081.. for four services before any starts
        }
        chosen.add(Ports.free());
        assertThat(chosen).doesNotHaveDuplicates().allSatisfy(port -> assertThat(Ports.isFree(port)).isTrue());
        assertThat(chosen.subList(0, 6)).allSatisfy(port -> assertThat(port).isGreaterThanOrEqualTo(preferred));
    }

    @Test
    void aPortsListenerIsTheProcessThatHoldsItsListeningSocket() throws Exception {
        Process other = new ProcessBuilder("sleep", "600").start();
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress("0.0.0.0", 0)); // any address, as Quarkus listens
            int port = server.getLocalPort();
            assertThat(Ports.isListenedToBy(ProcessHandle.current().pid(), port)).contains(true);
            assertThat(Ports.isListenedToBy(other.pid(), port)).contains(false);
            server.close();
            assertThat(Ports.isListenedToBy(ProcessHandle.current().pid(), port)).as("after close").contains(false);
        } finally {
            other.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A connection in TIME_WAIT (state 06 in /proc/net/tcp or tcp6) whose local port is {@code port}. */
    private static boolean hasTimeWaitConnection(int port) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(Path.of("/proc/net/tcp")));
        lines.addAll(Files.readAllLines(Path.of("/proc/net/tcp6")));
        return lines.stream().map(line -> line.trim().split("\\s+")).filter(f -> f.length > 3 && "06".equals(f[3]))
                .anyMatch(f -> Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1), 16) == port);
    }
}
