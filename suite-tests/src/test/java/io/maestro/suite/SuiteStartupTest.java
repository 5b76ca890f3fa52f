package io.maestro.suite;

import com.sun.net.httpserver.HttpServer;
import io.maestro.localstack.Directories;
import io.maestro.localstack.LocalStack;
import io.maestro.localstack.ServiceProcess;
import io.maestro.localstack.Suite;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A suite whose services can't bind their port: another server already answers {@code /q/health/ready} there with
 * 200, as when two services were once given one port. The start must fail with the service that died and its log,
 * not report the suite ready.
 */
@Order(1)
class SuiteStartupTest {
    @Test
    void aServiceThatDiesAtStartupFailsTheSuiteStartNamingItAndItsLog() throws Exception {
        Path dir = Path.of("target/suite-startup").toAbsolutePath();
        Directories.deleteTree(dir);
        Files.createDirectories(dir);
        HttpServer impostor = HttpServer.create(new InetSocketAddress(0), 0); // any address, as Quarkus binds
        impostor.createContext("/", exchange -> {
            byte[] body = "{\"status\":\"UP\",\"checks\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        impostor.start();
        int port = impostor.getAddress().getPort();
        try (LocalStack stack = LocalStack.onFreePorts(dir.resolve("stack")).start()) {
            // Every service is told to listen on the impostor's port.
            Suite suite = new Suite(stack, Path.of("..").toAbsolutePath().normalize(), dir, true, 1,
                    Map.of("QUARKUS_HTTP_PORT", Integer.toString(port)));

            Throwable failure = catchThrowable(() -> suite.start(Duration.ofSeconds(180)));

            assertThat(failure).as("the suite must not be reported ready").isInstanceOf(IOException.class);
            Matcher named = Pattern.compile("^(\\S+-service) exited with \\d+ before it was ready; log (\\S+):").matcher(failure.getMessage());
            assertThat(named.find()).as(failure.getMessage()).isTrue();
            ServiceProcess died = suite.service(named.group(1));
            assertThat(Path.of(named.group(2))).isEqualTo(died.log()).exists();
            assertThat(Files.readString(died.log())).contains("Port " + port + " seems to be in use by another process");
            assertThat(suite.services()).as("every service stopped").noneMatch(ServiceProcess::isAlive);
        } finally {
            impostor.stop(0);
        }
    }
}
