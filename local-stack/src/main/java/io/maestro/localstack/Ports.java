package io.maestro.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** Loopback port choice and TCP probes. */
public final class Ports {
    public static final String LOOPBACK = "127.0.0.1";
    /** Above the well-known services' usual ports (and the suite's own 8081-8084, 9092, 6379, 5432). */
    private static final int LISTEN_RANGE_START = 20000;
    /** Every port handed out in this class loader: a server may bind its port long after the choice. */
    private static final Set<Integer> HANDED_OUT = new HashSet<>();
    private static final String TCP_LISTEN = "0A";

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

    /**
     * {@code preferred} when it is free, else the next free one above it; 0 means any free port. Like {@link #free()},
     * never hands out a port twice in one class loader, so servers whose ports are all chosen before any of them binds
     * (the suite's four services) each get their own.
     */
    public static synchronized int preferredOrNext(int preferred) {
        if (preferred == 0) {
            return free();
        }
        for (int port = preferred; port < Math.min(preferred + 100, 65536); port++) {
            if (!HANDED_OUT.contains(port) && isFree(port)) {
                HANDED_OUT.add(port);
                return port;
            }
        }
        return free();
    }

    /**
     * Whether a server could listen on {@code port} now. Bound with {@code SO_REUSEADDR}, as every server of the suite
     * binds (Vert.x, Kafka, Redis, PostgreSQL): a port whose last connections linger in TIME_WAIT is free to them.
     */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
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

    /**
     * Whether process {@code pid} itself holds a socket listening on TCP {@code port} (any address), so that an answer
     * on the port comes from it and not from some other server that got there first. Linux only: read from
     * {@code /proc/net/tcp*} and the process's file descriptors; where those can't be read, empty.
     */
    public static Optional<Boolean> isListenedToBy(long pid, int port) {
        Optional<Set<String>> inodes = listeningSocketInodes(port);
        if (inodes.isEmpty()) {
            return Optional.empty();
        }
        Optional<Boolean> holds = holdsAny(pid, inodes.get());
        if (holds.isEmpty() && !Files.exists(Path.of("/proc", Long.toString(pid)))) {
            return Optional.of(false); // gone
        }
        return holds;
    }

    /** The processes listening on TCP {@code port}, for error messages; empty when unknown. */
    static List<Long> listeners(int port) {
        Set<String> inodes = listeningSocketInodes(port).orElse(Set.of());
        if (inodes.isEmpty()) {
            return List.of();
        }
        return ProcessHandle.allProcesses().map(ProcessHandle::pid).filter(pid -> holdsAny(pid, inodes).orElse(false)).toList();
    }

    /** Whether one of the process's file descriptors is one of these sockets; empty when they can't be read. */
    private static Optional<Boolean> holdsAny(long pid, Set<String> socketInodes) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString(); // a socket reads "socket:[<inode>]"
                    if (target.startsWith("socket:[") && socketInodes.contains(target.substring(8, target.length() - 1))) {
                        return Optional.of(true);
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
            return Optional.of(false);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The inodes of the sockets listening on TCP {@code port}, IPv4 and IPv6; empty when /proc can't tell. */
    private static Optional<Set<String>> listeningSocketInodes(int port) {
        Set<String> inodes = new HashSet<>();
        boolean read = false;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table), StandardCharsets.US_ASCII);
                read = true;
            } catch (IOException e) {
                continue;
            }
            // "sl local_address rem_address st ... inode": local address as HEXADDR:HEXPORT, st 0A is LISTEN
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length > 9 && TCP_LISTEN.equals(fields[3])) {
                    String local = fields[1];
                    if (Integer.parseInt(local.substring(local.lastIndexOf(':') + 1), 16) == port) {
                        inodes.add(fields[9]);
                    }
                }
            }
        }
        return read ? Optional.of(inodes) : Optional.empty();
    }
}
