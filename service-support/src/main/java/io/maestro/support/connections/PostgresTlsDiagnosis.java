package io.maestro.support.connections;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The reactive PostgreSQL client reports a failed TLS handshake as just "SSL handshake failed", without the reason.
 * This repeats the handshake once with the JDK and the same settings (host, trusted certificates, host name
 * check) to learn why: the certificate not trusted, for another host, expired, ... Bounded by {@code timeout}.
 */
final class PostgresTlsDiagnosis {
    static final String TRUST = "quarkus.datasource.reactive.trust-certificate-pem.certs";
    private static final int SSL_REQUEST_CODE = 80877103;

    /** Thrown for the trusted certificates file itself: missing, unreadable or not PEM. */
    static final class UnreadableTrust extends IOException {
        UnreadableTrust() {
            super("the trusted certificates cannot be read");
        }
    }

    private PostgresTlsDiagnosis() {
    }

    /** Why the handshake fails, or empty when it succeeds (or the address is unknown). */
    static Optional<Throwable> diagnose(ConnectionSettings settings, Duration timeout) {
        Optional<String> url = settings.get("quarkus.datasource.reactive.url");
        if (url.isEmpty()) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = URI.create(url.get().replaceFirst("^vertx-reactive:", "").split(",")[0]);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (uri.getHost() == null) {
            return Optional.empty();
        }
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        int millis = (int) timeout.toMillis();
        try (Socket plain = new Socket()) {
            SSLContext context = context(settings);
            plain.connect(new InetSocketAddress(uri.getHost(), port), millis);
            plain.setSoTimeout(millis);
            DataOutputStream out = new DataOutputStream(plain.getOutputStream());
            out.writeInt(8);
            out.writeInt(SSL_REQUEST_CODE);
            out.flush();
            InputStream in = plain.getInputStream();
            if (in.read() != 'S') {
                return Optional.of(new IOException("does not support SSL"));
            }
            try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, uri.getHost(), port, false)) {
                String algorithm = settings.get("quarkus.datasource.reactive.hostname-verification-algorithm").orElse("HTTPS");
                String mode = settings.get("quarkus.datasource.reactive.postgresql.ssl-mode").orElse("verify-full");
                if (!"NONE".equalsIgnoreCase(algorithm) && "verify-full".equals(mode.toLowerCase(Locale.ROOT))) {
                    SSLParameters parameters = tls.getSSLParameters();
                    parameters.setEndpointIdentificationAlgorithm(algorithm);
                    tls.setSSLParameters(parameters);
                }
                tls.startHandshake();
            }
            return Optional.empty();
        } catch (IOException | GeneralSecurityException e) {
            return Optional.of(e);
        }
    }

    private static SSLContext context(ConnectionSettings settings) throws GeneralSecurityException, UnreadableTrust {
        SSLContext context = SSLContext.getInstance("TLS");
        Optional<String> files = settings.get(TRUST);
        if (files.isEmpty()) {
            context.init(null, null, null); // the JDK's CAs, as the client uses then
            return context;
        }
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            trusted.load(null, null);
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            int n = 0;
            for (String file : files.get().split(",")) {
                try (InputStream in = Files.newInputStream(Path.of(file.strip()))) {
                    for (Certificate certificate : factory.generateCertificates(in)) {
                        trusted.setCertificateEntry("ca-" + n++, certificate);
                    }
                }
            }
            if (n == 0) {
                throw new UnreadableTrust();
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new UnreadableTrust();
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
