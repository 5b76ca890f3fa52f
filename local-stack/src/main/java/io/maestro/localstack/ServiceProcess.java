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

/** One Maestro service run from its Quarkus fast-jar, ready when {@code /q/health/ready} answers 200. */
public final class ServiceProcess extends ManagedServer {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

    private final Path jar;
    private final Map<String, String> environment;

    public ServiceProcess(String name, Path workDir, int port, Path jar, Map<String, String> environment) {
        super(name, workDir, port);
        this.jar = jar;
        this.environment = environment;
    }

    public String url() {
        return url(port);
    }

    /** The base URL of a service listening on loopback at {@code port}. */
    public static String url(int port) {
        return "http://" + Ports.LOOPBACK + ":" + port;
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
        command.add("-jar");
        command.add(jar.toString());
        return ChildProcesses.start(command, workDir, log(), "TERM", false, environment);
    }

    @Override
    protected boolean isReady() {
        try {
            HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready"))
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
