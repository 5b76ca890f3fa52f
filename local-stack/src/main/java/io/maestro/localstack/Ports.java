package io.maestro.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** Loopback port choice and TCP probes. */
public final class Ports {
    public static final String LOOPBACK = "127.0.0.1";
    /** Above the well-known services' usual ports (and the suite's own 8081-8084, 9092, 6379, 5432). */
    private static final int LISTEN_RANGE_START = 20000;
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private Ports() {
    }

    /**
     * A port free now, taken below the OS's ephemeral range where there is room: a port from that range can be
     * given to some client's outgoing connection between this choice and the server's bind (CI once lost a Kafka
     * start to that). Never the same port twice in one class loader, since the caller may not bind it at once.
     */
    public static synchronized int free() {
        int below = ephemeralRangeStart();
        if (below - LISTEN_RANGE_START >= 1000) {
            for (int attempt = 0; attempt < 200; attempt++) {
                int port = ThreadLocalRandom.current().nextInt(LISTEN_RANGE_START, below);
                if (!HANDED_OUT.contains(port) && isFree(port)) {
                    HANDED_OUT.add(port);
                    return port;
                }
            }
        }
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
                socket.setReuseAddress(true);
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new IllegalStateException("no free loopback port", e);
            }
        }
        throw new IllegalStateException("no free loopback port");
    }

    /** The first port the OS gives to outgoing connections (Linux), else 65536 (choose from the OS only). */
    static int ephemeralRangeStart() {
        // Read as a stream: procfs reports a size of 0, and a read sized by it comes back cut short.
        try (InputStream in = Files.newInputStream(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            String range = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 65536;
        }
    }

    /** {@code preferred} when it is free, else the next free one above it; 0 means any free port. */
    public static int preferredOrNext(int preferred) {
        if (preferred == 0) {
            return free();
        }
        for (int port = preferred; port < Math.min(preferred + 100, 65536); port++) {
            if (isFree(port)) {
                return port;
            }
        }
        return free();
    }

    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(LOOPBACK, port), 1);
        } catch (IOException e) {
            return false;
        }
        // also refuse ports something listens on through another address (e.g. 0.0.0.0 or ::)
        return !accepts(port);
    }

    public static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
