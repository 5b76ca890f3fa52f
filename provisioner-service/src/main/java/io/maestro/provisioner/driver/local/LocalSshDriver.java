package io.maestro.provisioner.driver.local;

import io.maestro.events.ProvisioningEvent.NodeStatus;
import io.maestro.provisioner.Failures;
import io.maestro.provisioner.config.ProvisionerConfig;
import io.maestro.provisioner.driver.ClusterDriver;
import io.maestro.provisioner.driver.DriverContext;
import io.maestro.provisioner.driver.DriverException;
import io.maestro.provisioner.driver.DriverNode;
import io.maestro.provisioner.driver.DriverPlan;
import io.maestro.provisioner.driver.NodeSlot;
import io.maestro.provisioner.ssh.SshKeys;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The default driver, needing no cloud: each node is a real SSH server (Apache MINA SSHD) on a loopback port with
 * its own directory under {@code <data-dir>/local/<cluster>/<tag>-<index>}, running commands through a real
 * shell with that directory's {@code home} as HOME. The directory (with the node's host key and last port)
 * outlives the service, so a later {@code start} brings the same node back with the same host key.
 */
@ApplicationScoped
@Identifier(LocalSshDriver.NAME)
public class LocalSshDriver implements ClusterDriver {
    public static final String NAME = "local";

    private final ProvisionerConfig config;
    private final Map<String, SshServer> servers = new ConcurrentHashMap<>();
    /**
     * Copies each node session's standard streams and waits for its process: four blocking tasks per command, held
     * while it runs, so a thread for each. (A ManagedExecutor with {@code maxAsync(-1)} has as many threads as cores
     * and queues the rest: with 100 nodes an exec's exit waited behind other commands' stdin copies until it timed out.)
     */
    private final ExecutorService pumps = Executors.newCachedThreadPool(new ThreadFactory() {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "local-node-io-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    });

    @Inject
    public LocalSshDriver(ProvisionerConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void prepare(DriverContext context, String tag, int count, boolean dryRun) {
        for (String option : context.options().keySet()) {
            throw DriverException.invalid("the local driver takes no options but got '" + option + "'");
        }
    }

    @Override
    public DriverPlan plan(DriverContext context, String tag, int count) {
        return DriverPlan.free(List.of("start " + count + " SSH server(s) on " + config.local().bindAddress() + ", each with a home under "
                + clusterDir(context.cluster()).resolve(tag + "-<index>")));
    }

    @Override
    public List<DriverNode> start(DriverContext context, String tag, List<NodeSlot> nodes) {
        List<PublicKey> accepted = new ArrayList<>();
        accepted.add(context.servicePublicKey());
        if (context.userPublicKey() != null) {
            accepted.add(SshKeys.parse(context.userPublicKey()));
        }
        List<DriverNode> started = new ArrayList<>();
        for (NodeSlot slot : nodes) {
            started.add(startNode(context.cluster(), tag, slot.index(), List.copyOf(accepted)));
        }
        return started;
    }

    private DriverNode startNode(String cluster, String tag, int index, List<PublicKey> accepted) {
        String id = providerId(cluster, tag, index);
        Path dir = nodeDir(cluster, tag, index);
        KeyPairProvider hostKey = SshKeys.persistentKeyPair(dir.resolve("host-key"));
        synchronized (this) {
            SshServer server = servers.get(id);
            if (server == null || !server.isStarted()) {
                try {
                    Files.createDirectories(dir.resolve("home"));
                    server = listen(dir, hostKey, accepted, lastPort(dir));
                } catch (IOException e) {
                    throw new DriverException("cannot start local node " + id + ": " + Failures.reason(e), e);
                }
                servers.put(id, server);
                writePort(dir, server.getPort());
                Log.debugf("local node %s listens on %d", id, server.getPort());
            }
            return node(cluster, tag, index, server.getPort(), NodeStatus.running, hostKey);
        }
    }

    private SshServer listen(Path dir, KeyPairProvider hostKey, List<PublicKey> accepted, int port) throws IOException {
        SshServer server = SshServer.setUpDefaultServer();
        server.setHost(config.local().bindAddress());
        server.setPort(port);
        server.setKeyPairProvider(hostKey);
        // Keys only: no password, no keyboard-interactive.
        server.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        server.setPublickeyAuthenticator((user, key, session) -> accepted.stream().anyMatch(known -> SshKeys.same(known, key)));
        Path home = dir.resolve("home");
        Map<String, String> env = Map.of("HOME", home.toString(), "USER", config.local().username(), "LOGNAME", config.local().username());
        String shell = config.local().shell();
        server.setCommandFactory((channel, command) -> new ShellCommand(List.of(shell, "-c", command), home, env, pumps));
        server.setShellFactory(channel -> new ShellCommand(List.of(shell, "-i"), home, env, pumps));
        try {
            server.start();
            return server;
        } catch (IOException e) {
            server.stop(true);
            if (port == 0) {
                throw e;
            }
            // The node's previous port is taken now: any free port will do, the host key stays the same.
            return listen(dir, hostKey, accepted, 0);
        }
    }

    @Override
    public void stop(DriverContext context, String tag, List<NodeSlot> nodes) {
        for (NodeSlot slot : nodes) {
            SshServer server = servers.remove(providerId(context.cluster(), tag, slot.index()));
            if (server != null) {
                try {
                    server.stop(true);
                } catch (IOException e) {
                    throw new DriverException("cannot stop local node: " + Failures.reason(e), e);
                }
            }
        }
    }

    @Override
    public Map<Integer, NodeStatus> status(DriverContext context, String tag, List<NodeSlot> nodes) {
        Map<Integer, NodeStatus> statuses = new HashMap<>();
        for (NodeSlot slot : nodes) {
            statuses.put(slot.index(), statusOf(context.cluster(), tag, slot.index()));
        }
        return statuses;
    }

    private NodeStatus statusOf(String cluster, String tag, int index) {
        SshServer server = servers.get(providerId(cluster, tag, index));
        if (server != null && server.isStarted()) {
            return NodeStatus.running;
        }
        return Files.isDirectory(nodeDir(cluster, tag, index)) ? NodeStatus.stopped : NodeStatus.terminated;
    }

    @Override
    public void destroy(DriverContext context, String tag, List<NodeSlot> nodes) {
        stop(context, tag, nodes);
        for (NodeSlot slot : nodes) {
            deleteRecursively(nodeDir(context.cluster(), tag, slot.index()));
        }
    }

    @Override
    public List<DriverNode> list(DriverContext context, String tag) {
        Path clusterDir = clusterDir(context.cluster());
        if (!Files.isDirectory(clusterDir)) {
            return List.of();
        }
        List<DriverNode> found = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(clusterDir)) {
            for (Path dir : dirs.sorted().toList()) {
                String name = dir.getFileName().toString();
                int dash = name.lastIndexOf('-');
                if (dash <= 0 || !Files.exists(dir.resolve("host-key"))) {
                    continue;
                }
                String nodeTag = name.substring(0, dash);
                int index;
                try {
                    index = Integer.parseInt(name.substring(dash + 1));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (tag == null || tag.equals(nodeTag)) {
                    found.add(node(context.cluster(), nodeTag, index, lastPort(dir), statusOf(context.cluster(), nodeTag, index),
                            SshKeys.persistentKeyPair(dir.resolve("host-key"))));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    @Override
    public void cleanUp(DriverContext context) {
        deleteRecursively(clusterDir(context.cluster()));
    }

    @PreDestroy
    public void shutdown() {
        stopServers();
        pumps.shutdownNow();
    }

    /** What a restart of the service does to local nodes: servers go down, their directories stay. */
    void stopServers() {
        servers.values().forEach(server -> {
            try {
                server.stop(true);
            } catch (IOException e) {
                Log.debugf("stopping a local node: %s", e.getMessage());
            }
        });
        servers.clear();
    }

    private DriverNode node(String cluster, String tag, int index, int port, NodeStatus status, KeyPairProvider hostKey) {
        return new DriverNode(tag, index, providerId(cluster, tag, index), config.local().bindAddress(), config.local().username(),
                port, status, SshKeys.format(SshKeys.load(hostKey).getPublic()));
    }

    static String providerId(String cluster, String tag, int index) {
        return "local:" + cluster + "/" + tag + "-" + index;
    }

    private Path clusterDir(String cluster) {
        return config.dataDir().resolve("local").resolve(cluster);
    }

    private Path nodeDir(String cluster, String tag, int index) {
        return clusterDir(cluster).resolve(tag + "-" + index);
    }

    private static int lastPort(Path dir) {
        Path file = dir.resolve("node.properties");
        if (!Files.exists(file)) {
            return 0;
        }
        Properties properties = new Properties();
        try (var reader = Files.newBufferedReader(file)) {
            properties.load(reader);
            return Integer.parseInt(properties.getProperty("port", "0"));
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static void writePort(Path dir, int port) {
        Properties properties = new Properties();
        properties.setProperty("port", Integer.toString(port));
        try (var writer = Files.newBufferedWriter(dir.resolve("node.properties"))) {
            properties.store(writer, "local node");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
