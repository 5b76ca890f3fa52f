package io.maestro.localstack;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

/**
 * A real Redis Cluster on loopback: {@value #MASTERS} masters (no replicas), the 16,384 hash slots split evenly,
 * keyspace notifications on every node. Plaintext only. For the services' Redis Cluster test profiles: the registry
 * and election hash-tag their keys so that each script touches one slot.
 */
public final class RedisCluster implements AutoCloseable {
    public static final int MASTERS = 3;
    private static final int SLOTS = 16_384;
    /** Redis 6.2 listens for the cluster bus on the client port + 10,000. */
    private static final int BUS_OFFSET = 10_000;

    private final List<RedisServer> nodes = new ArrayList<>();

    public RedisCluster(Path dir) {
        for (int i = 0; i < MASTERS; i++) {
            nodes.add(RedisServer.clusterNode("redis-" + i, dir.resolve("redis-" + i), portWithFreeBus()));
        }
    }

    /** Starts the nodes, gives each a third of the slots, joins them and waits until every node says the cluster is ok. */
    public RedisCluster start(Duration timeout) throws IOException {
        Instant deadline = Instant.now().plus(timeout);
        try {
            ManagedServer.startAll(nodes, timeout);
            for (int i = 0; i < MASTERS; i++) {
                List<String> addSlots = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
                for (int slot = i * SLOTS / MASTERS; slot < (i + 1) * SLOTS / MASTERS; slot++) {
                    addSlots.add(Integer.toString(slot));
                }
                call(nodes.get(i).port(), addSlots);
            }
            for (int i = 1; i < MASTERS; i++) {
                call(nodes.get(i).port(), List.of("CLUSTER", "MEET", Ports.LOOPBACK, Integer.toString(nodes.get(0).port())));
            }
            while (!formed()) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IOException("Redis Cluster not formed within " + timeout.toSeconds() + " s: "
                            + call(nodes.get(0).port(), List.of("CLUSTER", "INFO")));
                }
                ManagedServer.sleep(50);
            }
            return this;
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The nodes' addresses, comma-separated: what {@code quarkus.redis.hosts} of a cluster client takes. */
    public String hosts() {
        return nodes.stream().map(RedisServer::url).collect(Collectors.joining(","));
    }

    public List<RedisServer> nodes() {
        return List.copyOf(nodes);
    }

    /** The Quarkus Redis client settings for this cluster. */
    public java.util.Map<String, String> quarkusConfig() {
        return java.util.Map.of("quarkus.redis.hosts", hosts(), "quarkus.redis.client-type", "cluster");
    }

    @Override
    public void close() {
        nodes.parallelStream().forEach(ManagedServer::stop);
    }

    private boolean formed() throws IOException {
        for (RedisServer node : nodes) {
            String info = call(node.port(), List.of("CLUSTER", "INFO"));
            if (!info.contains("cluster_state:ok") || !info.contains("cluster_known_nodes:" + MASTERS)) {
                return false;
            }
        }
        return true;
    }

    private static int portWithFreeBus() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 30_000);
            if (Ports.isFree(port) && Ports.isFree(port + BUS_OFFSET)) {
                return Ports.preferredOrNext(port);
            }
        }
        throw new IllegalStateException("no free port pair (p, p + 10000) found for a Redis Cluster node");
    }

    /** One command over a fresh connection; the reply as text (an error reply is thrown). */
    public static String call(int port, List<String> command) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(Ports.LOOPBACK, port), 1000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            StringBuilder request = new StringBuilder("*").append(command.size()).append("\r\n");
            for (String arg : command) {
                request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
            }
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return reply(new BufferedInputStream(socket.getInputStream()), port, command);
        }
    }

    private static String reply(InputStream in, int port, List<String> command) throws IOException {
        String line = line(in);
        return switch (line.isEmpty() ? ' ' : line.charAt(0)) {
            case '+', ':' -> line.substring(1);
            case '-' -> throw new IOException("Redis on port " + port + " refused " + command.subList(0, Math.min(2, command.size()))
                    + ": " + line.substring(1));
            case '$' -> {
                int length = Integer.parseInt(line.substring(1));
                if (length < 0) {
                    yield "";
                }
                byte[] data = in.readNBytes(length + 2);
                yield new String(data, 0, length, StandardCharsets.UTF_8);
            }
            case '*' -> {
                List<String> items = new ArrayList<>();
                for (int i = Integer.parseInt(line.substring(1)); i > 0; i--) {
                    items.add(reply(in, port, command));
                }
                yield String.join("\n", items);
            }
            default -> throw new IOException("unexpected reply from Redis on port " + port + ": " + line);
        };
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
