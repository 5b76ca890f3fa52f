package io.maestro.cli;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.maestro.localstack.CertificateAuthority;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command line's HTTPS trust against a TLS server whose certificate a private CA signed (the local stack's
 * {@link CertificateAuthority}): {@code --ca-cert} or {@code MAESTRO_CA_CERT} makes it trusted; without either the
 * call fails with one line saying what to set.
 */
class HttpsTrustTest {
    @TempDir
    static Path dir;
    static CertificateAuthority ca;
    static HttpsServer server;

    private Map<String, String> environment;
    private Path userConfig;

    @BeforeAll
    static void serve() throws Exception {
        ca = CertificateAuthority.in(dir);
        CertificateAuthority.ServerCertificate certificate = ca.server("http");
        Certificate caCertificate;
        try (var in = java.nio.file.Files.newInputStream(ca.certificate())) {
            caCertificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        char[] password = "unused".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("http", certificate.privateKey(), password, new Certificate[]{certificate.x509(), caCertificate});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/v1/services", exchange -> {
            byte[] body = "[{\"service\":\"billing\",\"instances\":2,\"revision\":7}]".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @BeforeEach
    void isolate() {
        environment = Endpoints.environment;
        userConfig = Endpoints.userConfig;
        Endpoints.environment = Map.of();
        Endpoints.userConfig = dir.resolve("no-user-config");
    }

    @AfterEach
    void restore() {
        Endpoints.environment = environment;
        Endpoints.userConfig = userConfig;
    }

    private static String registry() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void theCaCertFlagMakesTheServiceTrusted() {
        var result = SuiteFixture.run("--registry-url", registry(), "--ca-cert", ca.certificate().toString(), "services");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("billing");
    }

    @Test
    void theEnvironmentVariableMakesTheServiceTrusted() {
        Endpoints.environment = Map.of("MAESTRO_CA_CERT", ca.certificate().toString());
        var result = SuiteFixture.run("--registry-url", registry(), "services");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("billing");
    }

    @Test
    void withoutTheCaTheCallFailsWithOneLineSayingWhatToSet() {
        var result = SuiteFixture.run("--registry-url", registry(), "services");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err().strip())
                .startsWith("error: registry-service at " + registry() + ": TLS: the server's certificate is not trusted")
                .contains("MAESTRO_CA_CERT", "--ca-cert")
                .doesNotContain("\n");
    }

    @Test
    void aMissingCaFileIsNamedWithItsSetting() {
        Path missing = dir.resolve("missing.crt");
        var result = SuiteFixture.run("--registry-url", registry(), "--ca-cert", missing.toString(), "services");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err().strip()).isEqualTo("error: --ca-cert: no such file " + missing + " (a PEM file of CA certificates)");

        Endpoints.environment = Map.of("MAESTRO_CA_CERT", missing.toString());
        result = SuiteFixture.run("--registry-url", registry(), "services");
        assertThat(result.err().strip()).isEqualTo("error: MAESTRO_CA_CERT: no such file " + missing + " (a PEM file of CA certificates)");
    }
}
