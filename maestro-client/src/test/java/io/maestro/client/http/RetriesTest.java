package io.maestro.client.http;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the transport sends again, against a real HTTP server on this machine that answers as each case needs. */
class RetriesTest {
    private static final Retries FAST = new Retries(3, Duration.ofMillis(10), Duration.ofMillis(40));
    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;
    private ServerSocket dropping;

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.stop(0);
        }
        if (dropping != null) {
            dropping.close();
        }
    }

    /** A server answering the n-th request (from 1) with the status {@code statusOf} gives, and {"ok":true}. */
    private ServiceHttp answering(IntUnaryOperator statusOf, Retries retries) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(statusOf.applyAsInt(requests.incrementAndGet()), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return http(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), retries);
    }

    /** A server that reads each request whole, then closes the connection without answering. */
    private ServiceHttp droppingEveryConnection() throws IOException {
        dropping = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread accept = new Thread(() -> {
            while (!dropping.isClosed()) {
                try (Socket socket = dropping.accept()) {
                    readRequest(socket.getInputStream());
                    requests.incrementAndGet();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "dropping-server");
        accept.setDaemon(true);
        accept.start();
        return http(URI.create("http://127.0.0.1:" + dropping.getLocalPort()), FAST);
    }

    private static void readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            head.append((char) b);
        }
        String lower = head.toString().toLowerCase();
        int at = lower.indexOf("content-length:");
        if (at >= 0) {
            int length = Integer.parseInt(lower.substring(at + 15, lower.indexOf("\r\n", at)).trim());
            in.readNBytes(length);
        }
    }

    private static ServiceHttp http(URI base, Retries retries) {
        return new ServiceHttp("inventory-service", List.of(base),
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), Duration.ofSeconds(5), null, retries);
    }

    @Test
    void aReadAnswered503IsSentAgainUntilTheServiceTakesItOn() throws IOException {
        ServiceHttp http = answering(n -> n <= 2 ? 503 : 200, FAST);
        assertThat(http.get("v1/entities/s1").path("ok").asBoolean()).isTrue();
        assertThat(requests).hasValue(3);
    }

    @Test
    void aWriteAnswered503IsSentAgainBecauseTheServiceDidNotTakeItOn() throws IOException {
        ServiceHttp http = answering(n -> n == 1 ? 503 : 201, FAST);
        assertThat(http.post("v1/entities", Map.of("name", "s1")).path("ok").asBoolean()).isTrue();
        assertThat(requests).hasValue(2);
    }

    @Test
    void aWriteWhoseConnectionDroppedAfterSendingIsNotSentAgainButAReadIs() throws IOException {
        ServiceHttp http = droppingEveryConnection();
        assertThatThrownBy(() -> http.post("v1/entities", Map.of("name", "s1")))
                .isInstanceOfSatisfying(MaestroApiException.class, e -> assertThat(e.status()).isZero());
        assertThat(requests).as("the write may have been done: sent once").hasValue(1);

        requests.set(0);
        assertThatThrownBy(() -> http.get("v1/entities/s1")).isInstanceOf(MaestroApiException.class);
        assertThat(requests.get()).as("a read is sent again").isGreaterThanOrEqualTo(1 + FAST.maxRetries());
    }

    @Test
    void aWriteAnsweredWith502IsNotSentAgainSinceAProxyMayHavePassedItOn() throws IOException {
        ServiceHttp http = answering(n -> 502, FAST);
        assertThatThrownBy(() -> http.post("v1/entities", Map.of("name", "s1")))
                .isInstanceOfSatisfying(MaestroApiException.class, e -> assertThat(e.status()).isEqualTo(502));
        assertThat(requests).hasValue(1);
    }

    @Test
    void afterTheLastRetryTheCallerGetsTheLastAnswer() throws IOException {
        ServiceHttp http = answering(n -> 503, FAST);
        assertThatThrownBy(() -> http.get("v1/entities/s1"))
                .isInstanceOfSatisfying(MaestroApiException.class, e -> assertThat(e.status()).isEqualTo(503));
        assertThat(requests).hasValue(1 + FAST.maxRetries());
    }

    @Test
    void withNoRetriesEveryRequestIsSentOnce() throws IOException {
        ServiceHttp http = answering(n -> 503, Retries.none());
        assertThatThrownBy(() -> http.get("v1/entities/s1"))
                .isInstanceOfSatisfying(MaestroApiException.class, e -> assertThat(e.status()).isEqualTo(503));
        assertThat(requests).hasValue(1);
    }

    @Test
    void aServiceNobodyListensOnIsTriedAgainAndNamedAfterTheLastTry() throws IOException {
        int free;
        try (ServerSocket socket = new ServerSocket(0)) {
            free = socket.getLocalPort();
        }
        long started = System.nanoTime();
        ServiceHttp http = http(URI.create("http://127.0.0.1:" + free), new Retries(3, Duration.ofMillis(50), Duration.ofMillis(50)));
        assertThatThrownBy(() -> http.post("v1/entities", Map.of("name", "s1")))
                .isInstanceOfSatisfying(MaestroApiException.class, e -> assertThat(e.status()).isZero())
                .hasMessageStartingWith("cannot reach inventory-service at http://127.0.0.1:" + free);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("three waits of about 50 ms before giving up")
                .isGreaterThanOrEqualTo(Duration.ofMillis(3 * 50 * 3 / 4));
    }
}
