package io.maestro.client;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.maestro.client.registry.Maestro;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The clients' extra trust against a real TLS server (the JDK's, with a self-signed certificate for IP 127.0.0.1
 * made by keytool): trusted with the PEM file, refused without it, and refused under another host name.
 */
class TrustedCertificatesTest {
    private static final char[] PASSWORD = "changeit".toCharArray();
    @TempDir
    static Path dir;
    static HttpsServer server;
    static Path pem;

    @BeforeAll
    static void serve() throws Exception {
        Path store = dir.resolve("server.p12");
        pem = dir.resolve("server.crt");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=maestro-test",
                "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", "changeit", "-keypass", "changeit");
        run(keytool, "-exportcert", "-rfc", "-alias", "server", "-keystore", store.toString(), "-storepass", "changeit",
                "-file", pem.toString());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(204, -1);
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

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    private static URI url(String host) {
        return URI.create("https://" + host + ":" + server.getAddress().getPort() + "/");
    }

    private static int get(HttpClient client, URI uri) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void aServerSignedByTheGivenCertificateIsTrusted() throws Exception {
        HttpClient client = TrustedCertificates.httpClient(pem, "--ca-cert").build();
        assertThat(get(client, url("127.0.0.1"))).isEqualTo(204);
    }

    @Test
    void withoutTheCertificateTheServerIsRefusedAndTheErrorSaysWhatToTrust() {
        HttpClient client = TrustedCertificates.httpClient(null, "unused").build();
        assertThatThrownBy(() -> get(client, url("127.0.0.1")))
                .isInstanceOf(SSLHandshakeException.class)
                .satisfies(e -> assertThat(TrustedCertificates.describe((IOException) e))
                        .startsWith("TLS: the server's certificate is not trusted")
                        .contains("MAESTRO_CA_CERT"));
    }

    @Test
    void theHostNameIsStillVerified() {
        // The certificate names 127.0.0.1 only: trusted, but not for "localhost".
        HttpClient client = TrustedCertificates.httpClient(pem, "--ca-cert").build();
        assertThatThrownBy(() -> get(client, url("localhost")))
                .isInstanceOf(SSLHandshakeException.class)
                .satisfies(e -> assertThat(TrustedCertificates.describe((IOException) e)).contains("localhost"));
    }

    @Test
    void aMissingFileIsNamedWithItsSetting() {
        Path missing = dir.resolve("nowhere.crt");
        assertThatThrownBy(() -> TrustedCertificates.sslContext(missing, MaestroEndpoints.CA_CERT_VARIABLE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("MAESTRO_CA_CERT: no such file " + missing + " (a PEM file of CA certificates)");
        assertThatThrownBy(() -> Maestro.builder(URI.create("https://127.0.0.1:1")).trustCertificates(missing).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("trustCertificates(" + missing + "): no such file");
    }

    @Test
    void aFileThatIsNotPemIsRefused() throws IOException {
        Path der = dir.resolve("server.p12"); // binary, not PEM
        assertThatThrownBy(() -> TrustedCertificates.sslContext(der, "--ca-cert"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--ca-cert: " + der + " is not a PEM certificate file (expected -----BEGIN CERTIFICATE----- blocks)");
        Path broken = Files.writeString(dir.resolve("broken.crt"), "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> TrustedCertificates.sslContext(broken, "--ca-cert"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--ca-cert: " + broken + " is not a readable PEM certificate file");
    }

    @Test
    void theEnvironmentNamesTheFileWhenSet() {
        assertThat(TrustedCertificates.fromEnvironment(Map.of("MAESTRO_CA_CERT", " /etc/maestro/ca.crt ")))
                .contains(Path.of("/etc/maestro/ca.crt"));
        assertThat(TrustedCertificates.fromEnvironment(Map.of("MAESTRO_CA_CERT", " "))).isEmpty();
        assertThat(TrustedCertificates.fromEnvironment(Map.of())).isEmpty();
    }
}
