package io.maestro.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;

/** One Maestro service run from its Quarkus fast-jar, ready when {@code /q/health/ready} answers 200. */
public final class ServiceProcess extends ManagedServer {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    /**
     * Serial GC: a service's heap is small and its garbage short-lived, and on a few cores shared with Redis and Kafka
     * G1's barriers and concurrent threads cost about a tenth of the registry's CPU (README, Performance).
     */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC");
    /**
     * C1 only: the JVM starts a few seconds sooner on 2 cores but runs the code slower for good. Only for tests, where
     * start time is all that matters; a suite a user runs ({@code ./maestro up}) gets the normal JIT.
     */
    private static final String FAST_START = "-XX:TieredStopAtLevel=1";

    private final Path jar;
    private final Map<String, String> environment;
    private final boolean fastStart;
    /** Null when the service serves plain HTTP. */
    private final SSLContext tls;
    private final HttpClient http;

    /** @param fastStart run with the C1 compiler only (tests): sooner up, slower for good */
    public ServiceProcess(String name, Path workDir, int port, Path jar, Map<String, String> environment, boolean fastStart) {
        this(name, workDir, port, jar, environment, fastStart, null);
    }

    /** @param tls when not null, the service serves HTTPS only, verified with this context */
    public ServiceProcess(String name, Path workDir, int port, Path jar, Map<String, String> environment, boolean fastStart,
                          SSLContext tls) {
        super(name, workDir, port);
        this.jar = jar;
        this.environment = environment;
        this.fastStart = fastStart;
        this.tls = tls;
        this.http = tls == null ? HTTP : HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).sslContext(tls).build();
    }

    /** The JVM options every service of a suite runs with (benchmarks run the services the same way). */
    public static List<String> jvmOptions() {
        return JVM_OPTIONS;
    }

    public boolean fastStart() {
        return fastStart;
    }

    public String url() {
        return url(port, tls != null);
    }

    /** The base URL of a service listening on loopback at {@code port}. */
    public static String url(int port) {
        return url(port, false);
    }

    /** The base URL of a service listening on loopback at {@code port}, over HTTPS when {@code https}. */
    public static String url(int port, boolean https) {
        return (https ? "https://" : "http://") + Ports.LOOPBACK + ":" + port;
    }

    @Override
    protected Process launch() throws IOException {
        if (!Files.exists(jar)) {
            throw new IOException(jar + " is missing: build with ./mvnw -B package -DskipTests");
        }
        Files.createDirectories(workDir);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        if (fastStart) {
            command.add(FAST_START);
        }
        command.add("-jar");
        command.add(jar.toString());
        return ChildProcesses.start(command, workDir, log(), "TERM", false, environment);
    }

    @Override
    protected boolean isReady() {
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    protected String stopSignal() {
        return "TERM";
    }
}
