package io.maestro.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;


/**
 * Redis with keyspace notifications on. Uses {@code redis-server} from the PATH when there is one, else
 * the binary shipped in {@code com.github.codemonstur:embedded-redis}.
 */
public final class RedisServer extends ManagedServer {
    /** Every keyspace and keyevent notification class, as the registry and election services need. */
    public static final String KEYSPACE_EVENTS = "KEA";

    /** Null for a plaintext server without users. */
    private final StackSecurity security;
    /** A node of a Redis Cluster ({@link RedisCluster} joins the nodes); plaintext only. */
    private final boolean clusterNode;

    public RedisServer(Path workDir, int port) {
        this(workDir, port, null);
    }

    /**
     * @param security when not null, the server is secured: TLS only, the default user off, an administrator and
     *                 one ACL user per service that keeps state in Redis ({@link ServiceGrants#redisRule()})
     */
    public RedisServer(Path workDir, int port, StackSecurity security) {
        this("redis", workDir, port, security, false);
    }

    private RedisServer(String name, Path workDir, int port, StackSecurity security, boolean clusterNode) {
        super(name, workDir, port);
        this.security = security;
        this.clusterNode = clusterNode;
    }

    /** A plaintext server in cluster mode, not joined to any cluster yet. */
    static RedisServer clusterNode(String name, Path workDir, int port) {
        return new RedisServer(name, workDir, port, null, true);
    }

    public boolean secured() {
        return security != null;
    }

    /** The server's address; {@code rediss://} when secured. */
    public String url() {
        return (security == null ? "redis://" : "rediss://") + Ports.LOOPBACK + ":" + port;
    }

    /** The address with a user and password, as a client of a secured stack is given it. */
    public String url(String user, String password) {
        return security == null ? url() : "rediss://" + user + ":" + java.net.URLEncoder.encode(password, StandardCharsets.UTF_8)
                + "@" + Ports.LOOPBACK + ":" + port;
    }

    @Override
    protected Process launch() throws IOException {
        Files.createDirectories(workDir);
        if (security != null) {
            Path config = workDir.resolve("redis.conf");
            LocalStack.writeAtomically(config, securedConfig(), true);
            return ChildProcesses.start(List.of(binary().toString(), config.toString()), workDir, log(), "TERM", false);
        }
        List<String> command = new java.util.ArrayList<>(List.of(binary().toString(),
                "--bind", Ports.LOOPBACK, "--port", Integer.toString(port),
                "--dir", workDir.toString(),
                "--save", "", "--appendonly", "no",
                "--notify-keyspace-events", KEYSPACE_EVENTS));
        if (clusterNode) {
            command.addAll(List.of("--cluster-enabled", "yes", "--cluster-config-file", workDir.resolve("nodes.conf").toString(),
                    "--cluster-node-timeout", "5000"));
        }
        return ChildProcesses.start(command, workDir, log(), "TERM", false);
    }

    /** Keys stored with hashed passwords only: the file names no password. */
    private String securedConfig() {
        CertificateAuthority.ServerCertificate certificate = security.ca().server("redis");
        StringBuilder config = new StringBuilder("# written by local-stack: a TLS-only Redis with an ACL user per service\n");
        config.append("bind ").append(Ports.LOOPBACK).append('\n')
                .append("port 0\n")
                .append("tls-port ").append(port).append('\n')
                .append("tls-cert-file ").append(certificate.certificate()).append('\n')
                .append("tls-key-file ").append(certificate.key()).append('\n')
                .append("tls-ca-cert-file ").append(security.caCertificate()).append('\n')
                .append("tls-auth-clients no\n")
                .append("dir ").append(workDir).append('\n')
                .append("save \"\"\n")
                .append("appendonly no\n")
                .append("notify-keyspace-events ").append(KEYSPACE_EVENTS).append('\n')
                .append("user default off\n")
                .append("user ").append(StackSecurity.ADMIN).append(" on ").append(security.redisPasswordHash(StackSecurity.ADMIN))
                .append(" ~* &* +@all\n");
        for (ServiceGrants grants : ServiceGrants.ALL) {
            if (grants.redisRule() != null) {
                config.append("user ").append(grants.service()).append(" on ")
                        .append(security.redisPasswordHash(grants.service())).append(' ').append(grants.redisRule()).append('\n');
            }
        }
        return config.toString();
    }

    @Override
    protected boolean isReady() {
        try (Socket socket = security == null ? new Socket() : security.ca().clientContext().getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(Ports.LOOPBACK, port), 200);
            socket.setSoTimeout(500);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] reply = new byte[64];
            int read = socket.getInputStream().read(reply);
            String answer = read <= 0 ? "" : new String(reply, 0, read, StandardCharsets.US_ASCII);
            // a secured server answers an unauthenticated PING with NOAUTH: up, TLS and ACLs working
            return answer.startsWith("+PONG") || (security != null && answer.startsWith("-NOAUTH"));
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    protected String stopSignal() {
        return "TERM";
    }

    private Path binary() throws IOException {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(":")) {
                Path candidate = Path.of(dir, "redis-server");
                if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        return extractShippedBinary();
    }

    private Path extractShippedBinary() throws IOException {
        String arch = System.getProperty("os.arch");
        String resource = switch (arch) {
            case "amd64", "x86_64" -> "/redis-server-6.2.6-v5-linux-amd64";
            case "aarch64", "arm64" -> "/redis-server-6.2.7-linux-arm64";
            default -> throw new IOException("no shipped redis-server for " + arch + ": put redis-server on the PATH");
        };
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "maestro-local-stack", resource.substring(1));
        if (Files.isExecutable(target)) {
            return target;
        }
        Files.createDirectories(target.getParent());
        try (InputStream in = RedisServer.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("embedded-redis jar with " + resource + " is not on the classpath");
            }
            Path partial = Files.createTempFile(target.getParent(), "redis-server", ".partial");
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return target;
    }

}
