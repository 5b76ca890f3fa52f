package io.maestro.client.http;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the transport makes of answers and of services it cannot reach; calls to real services: the clients' tests. */
class ServiceHttpTest {
    private final ServiceHttp http = new ServiceHttp("inventory-service", List.of(URI.create("http://127.0.0.1:1")),
            HttpClient.newHttpClient(), Duration.ofSeconds(2), null);

    @Test
    void aProblemAnswerGivesItsStatusTitleDetailAndFieldErrors() {
        MaestroApiException e = http.problem(400, """
                {"title":"Invalid request","status":400,"detail":"count: must be between 1 and 1000",
                 "errors":[{"field":"count","rule":"must be between 1 and 1000"}]}""");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.title()).isEqualTo("Invalid request");
        assertThat(e.detail()).isEqualTo("count: must be between 1 and 1000");
        assertThat(e.errors()).containsExactly(new MaestroApiException.FieldError("count", "must be between 1 and 1000"));
        assertThat(e).hasMessage("inventory-service: Invalid request: count: must be between 1 and 1000");
    }

    @Test
    void anAnswerThatIsNotAProblemKeepsItsBodyOnOneLineAsTheDetail() {
        MaestroApiException e = http.problem(502, "<html>\n  Bad gateway\n</html>");
        assertThat(e.title()).isNull();
        assertThat(e.detail()).isEqualTo("<html> Bad gateway </html>");
        assertThat(e).hasMessage("inventory-service: HTTP 502: <html> Bad gateway </html>");
    }

    @Test
    void aServiceNobodyListensOnIsStatusZeroNamingEveryAddressTried() throws IOException {
        int free;
        try (ServerSocket socket = new ServerSocket(0)) {
            free = socket.getLocalPort();
        }
        ServiceHttp replicas = new ServiceHttp("registry-service", List.of(URI.create("http://127.0.0.1:" + free), URI.create("http://127.0.0.1:1")),
                HttpClient.newHttpClient(), Duration.ofSeconds(2), "token");
        assertThatThrownBy(() -> replicas.get("/v1/services"))
                .isInstanceOfSatisfying(MaestroApiException.class, e -> {
                    assertThat(e.status()).isZero();
                    assertThat(ServiceHttp.nothingListens(e.getCause())).isTrue();
                })
                .hasMessageStartingWith("cannot reach registry-service at any of [http://127.0.0.1:" + free + ", http://127.0.0.1:1]");
        assertThat(ServiceHttp.nothingListens(new IOException("reset"))).isFalse();
        assertThat(ServiceHttp.nothingListens(new IOException(new ConnectException("refused")))).isTrue();
    }

    @Test
    void aPathSegmentEncodesASpaceAsPercentTwentyAndAPlusAsItself() {
        assertThat(ServiceHttp.segment("a b+c/d")).isEqualTo("a%20b%2Bc%2Fd");
    }
}
