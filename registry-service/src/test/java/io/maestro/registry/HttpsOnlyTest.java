package io.maestro.registry;

import io.maestro.client.TrustedCertificates;
import io.maestro.client.registry.Maestro;
import io.maestro.localstack.CertificateAuthority;
import io.maestro.localstack.LocalStackResource;
import io.maestro.localstack.Ports;
import io.maestro.support.testing.Tokens;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The service under the profile {@code https} (application.properties) with a certificate from a private CA in the
 * Quarkus TLS registry's default configuration: it answers over HTTPS only, health included; the SDK trusting the CA
 * works, one without it is refused for the certificate, and plain HTTP gets nowhere.
 */
@QuarkusTest
@TestProfile(HttpsOnlyTest.HttpsOnly.class)
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class HttpsOnlyTest {
    /** Kept across runs (the CA is made once); the profile and the test find it at the same place. */
    static final Path CA_DIR = Path.of("target", "https-only-test").toAbsolutePath();

    public static class HttpsOnly implements QuarkusTestProfile {
        @Override
        public String getConfigProfile() {
            return "test,https";
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            CertificateAuthority.ServerCertificate certificate = CertificateAuthority.in(CA_DIR).server("http");
            // Only the certificate and the ports: HTTPS only comes from the profile's own lines.
            return Map.of(
                    "quarkus.tls.key-store.pem.0.cert", certificate.certificate().toString(),
                    "quarkus.tls.key-store.pem.0.key", certificate.key().toString(),
                    "quarkus.http.test-ssl-port", Integer.toString(Ports.free()),
                    "quarkus.http.test-port", Integer.toString(Ports.free()));
        }
    }

    @ConfigProperty(name = "quarkus.http.test-ssl-port")
    int httpsPort;

    @ConfigProperty(name = "quarkus.http.test-port")
    int plainPort;

    private Path ca() {
        return CertificateAuthority.in(CA_DIR).certificate();
    }

    private URI https() {
        return URI.create("https://127.0.0.1:" + httpsPort);
    }

    @Test
    void theSdkTrustingTheCaRegistersAndFollowsOverHttpsAndHealthAnswersThere() throws Exception {
        String service = "tls-" + UUID.randomUUID().toString().substring(0, 8);
        try (Maestro node = Maestro.builder(https()).trustCertificates(ca()).token(Tokens.admin()).instanceId("node-1").build();
             Maestro dependant = Maestro.builder(https()).trustCertificates(ca()).token(Tokens.admin()).build()) {
            node.register(service, "https://10.0.0.7:8443", Map.of());
            node.start(() -> { });
            dependant.use(service, list -> { });
            // The registration went in over HTTPS and came to the other client through its watch (Server-Sent Events over TLS).
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(dependant.instances(service)).extracting(i -> i.instanceId()).containsExactly("node-1"));
        }
        HttpClient trusting = TrustedCertificates.httpClient(ca(), "test").build();
        HttpResponse<String> health = trusting.send(HttpRequest.newBuilder(https().resolve("/q/health/live")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"UP\"");
    }

    @Test
    void anSdkWithoutTheCaIsRefusedForTheCertificateAndSaysWhatToTrust() throws Exception {
        String service = "tls-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> warnings = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                warnings.add(record.getParameters() == null ? record.getMessage()
                        : MessageFormat.format(record.getMessage(), record.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger(Maestro.class.getName());
        logger.addHandler(handler);
        // null: the JDK's default trust store only (not even MAESTRO_CA_CERT), which does not know the test CA.
        try (Maestro maestro = Maestro.builder(https()).trustCertificates(null).token(Tokens.admin()).instanceId("node-1").build()) {
            maestro.register(service, "https://10.0.0.7:8443", Map.of());
            maestro.start(() -> { });
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(warnings).anySatisfy(w -> assertThat(w)
                    .contains("cannot register node-1 under " + service + ": TLS: the server's certificate is not trusted")
                    .contains("MAESTRO_CA_CERT")));
        } finally {
            logger.removeHandler(handler);
        }
        // And nothing was registered: a trusting client finds no instance.
        HttpResponse<String> snapshot = TrustedCertificates.httpClient(ca(), "test").build().send(
                HttpRequest.newBuilder(https().resolve("/v1/services/" + service)).header("Authorization", Tokens.bearer(Tokens.admin())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(snapshot.statusCode()).isEqualTo(200);
        assertThat(snapshot.body()).contains("\"instances\":[]");
    }

    @Test
    void plainHttpGetsNowhere() {
        // No plain listener at all (quarkus.http.insecure-requests=disabled from the profile) ...
        assertThat(Ports.accepts(plainPort)).as("plain HTTP port " + plainPort + " bound").isFalse();
        // ... and the HTTPS port closes on a plain HTTP request without an answer.
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        URI url = URI.create("http://127.0.0.1:" + httpsPort + "/q/health/live");
        assertThatThrownBy(() -> plain.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }
}
