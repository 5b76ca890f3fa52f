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

    public RedisServer(Path workDir, int port) {
        super("redis", workDir, port);
    }

    public String url() {
        return "redis://" + Ports.LOOPBACK + ":" + port;
    }

    @Override
    protected Process launch() throws IOException {
        Files.createDirectories(workDir);
        return ChildProcesses.start(List.of(binary().toString(),
                "--bind", Ports.LOOPBACK, "--port", Integer.toString(port),
                "--dir", workDir.toString(),
                "--save", "", "--appendonly", "no",
                "--notify-keyspace-events", KEYSPACE_EVENTS), workDir, log(), "TERM", false);
    }

    @Override
    protected boolean isReady() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(Ports.LOOPBACK, port), 200);
            socket.setSoTimeout(500);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] reply = new byte[7];
            int read = socket.getInputStream().read(reply);
            return read >= 5 && new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
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
