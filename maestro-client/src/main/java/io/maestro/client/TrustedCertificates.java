package io.maestro.client;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The TLS trust of every Maestro HTTP client (the SDK, the CLI, the services' self-registration): the JDK's default
 * trust store plus the CA certificates of one PEM file, such as the {@code ca.crt} of a secured local stack or a
 * private CA. Host names are still verified (the JDK HTTP client checks the certificate's names against the URL).
 *
 * <p>Where the file comes from is named in every error ({@code MAESTRO_CA_CERT}, {@code --ca-cert}, the builder
 * option), so a wrong setting is found by its name.
 */
public final class TrustedCertificates {
    private TrustedCertificates() {
    }

    /** The PEM file named by {@link MaestroEndpoints#CA_CERT_VARIABLE} in {@code env}; empty when unset or blank. */
    public static Optional<Path> fromEnvironment(Map<String, String> env) {
        String value = env.get(MaestroEndpoints.CA_CERT_VARIABLE);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(Path.of(value.strip()));
    }

    /** As {@link #fromEnvironment(Map)} over the process environment. */
    public static Optional<Path> fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * An HTTP client builder whose TLS trusts the JDK's default CAs and, when {@code pemFile} is given, the
     * certificates in it. {@code origin} names the setting the file came from, for errors.
     *
     * @throws IllegalArgumentException when the file cannot be read or holds no PEM certificate
     */
    public static HttpClient.Builder httpClient(Path pemFile, String origin) {
        HttpClient.Builder builder = HttpClient.newBuilder();
        return pemFile == null ? builder : builder.sslContext(sslContext(pemFile, origin));
    }

    /**
     * A TLS context trusting the JDK's default CAs and the certificates in {@code pemFile} (one or more
     * {@code -----BEGIN CERTIFICATE-----} blocks). One standard PKIX trust manager over both sets, so the checks
     * (validity, chain, names) are the JDK's own.
     *
     * @throws IllegalArgumentException when the file cannot be read or holds no PEM certificate
     */
    public static SSLContext sslContext(Path pemFile, String origin) {
        List<X509Certificate> extra = read(pemFile, origin);
        try {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            int n = 0;
            for (X509Certificate ca : defaultTrustAnchors()) {
                trusted.setCertificateEntry("jdk-" + n++, ca);
            }
            for (X509Certificate ca : extra) {
                trusted.setCertificateEntry("extra-" + n++, ca);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS trusting " + pemFile + " (" + origin + "): " + e.getMessage(), e);
        }
    }

    /** The certificates of a PEM file; a clear error naming {@code origin} when there is none. */
    static List<X509Certificate> read(Path pemFile, String origin) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(pemFile);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(origin + ": no such file " + pemFile + " (a PEM file of CA certificates)");
        } catch (IOException e) {
            throw new IllegalArgumentException(origin + ": cannot read " + pemFile + ": " + e.getMessage());
        }
        // Only PEM: a DER or PKCS#12 file here is a mistake worth naming, not something to guess at.
        if (!new String(bytes, java.nio.charset.StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException(origin + ": " + pemFile
                    + " is not a PEM certificate file (expected -----BEGIN CERTIFICATE----- blocks)");
        }
        try (InputStream in = Files.newInputStream(pemFile)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            List<X509Certificate> result = new ArrayList<>();
            certificates.forEach(c -> result.add((X509Certificate) c));
            if (result.isEmpty()) {
                throw new IllegalArgumentException(origin + ": " + pemFile + " holds no certificate");
            }
            return result;
        } catch (CertificateException | IOException e) {
            throw new IllegalArgumentException(origin + ": " + pemFile + " is not a readable PEM certificate file: " + e.getMessage());
        }
    }

    private static List<X509Certificate> defaultTrustAnchors() throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init((KeyStore) null);
        List<X509Certificate> anchors = new ArrayList<>();
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                anchors.addAll(List.of(x509.getAcceptedIssuers()));
            }
        }
        return anchors;
    }

    /**
     * A client builder's trust setting: a file chosen with its option (or explicitly none), else the one named by
     * {@code MAESTRO_CA_CERT}, read when the client is built.
     */
    public static final class Choice {
        private final String option;
        private boolean chosen;
        private Path file;

        /** {@code option}: the builder method's name, for errors. */
        public Choice(String option) {
            this.option = option;
        }

        /** {@code pemFile} null: the JDK's default trust store only. */
        public void set(Path pemFile) {
            this.chosen = true;
            this.file = pemFile;
        }

        /** A client builder with this trust (the file is read now; a wrong one fails here, naming its setting). */
        public HttpClient.Builder httpClient() {
            if (chosen) {
                return TrustedCertificates.httpClient(file, option + "(" + file + ")");
            }
            return TrustedCertificates.httpClient(fromEnvironment().orElse(null), MaestroEndpoints.CA_CERT_VARIABLE);
        }
    }

    /**
     * What went wrong on a connection, in words a user can act on: a TLS failure (a certificate not trusted, a name
     * not matching, a plain HTTP server) says so and what to set; anything else is its own message.
     */
    public static String describe(IOException e) {
        SSLException tls = find(e, SSLException.class);
        if (tls == null) {
            // A refused connection comes as a ConnectException without a message from the JDK client.
            String message = e.getMessage() != null ? e.getMessage()
                    : e instanceof java.net.ConnectException || e.getCause() instanceof java.net.ConnectException ? "connection refused"
                    : "an I/O error without detail";
            // What the JDK client reports when a server speaking only TLS closes on a plain HTTP request.
            return message.contains("received no bytes")
                    ? message + " (a service serving HTTPS only closes plain HTTP connections: is the URL meant to be https://?)"
                    : message;
        }
        String detail = deepestMessage(tls);
        if (find(e, CertificateException.class) != null || (tls instanceof SSLHandshakeException && detail.contains("certification path"))) {
            return "TLS: the server's certificate is not trusted or does not match its address (" + detail + "); trust its CA with "
                    + MaestroEndpoints.CA_CERT_VARIABLE + "=<PEM file> (SDK: trustCertificates(path), CLI: --ca-cert)";
        }
        if (detail.contains("plaintext") || detail.contains("Unsupported or unrecognized SSL message")) {
            return "TLS: the server does not speak TLS (" + detail + "); is the URL meant to be http://?";
        }
        return "TLS: " + detail;
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String deepestMessage(Throwable e) {
        String message = e.getMessage();
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return String.valueOf(message);
    }
}
