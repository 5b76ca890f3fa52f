package io.maestro.client.http;

import io.maestro.client.TrustedCertificates;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What every client of the SDK is built with: the suite's bearer token, and either an HTTP client to use as it is or
 * the CA certificates to trust. {@code B} is the concrete builder, so the setters chain with its own.
 */
public abstract class ClientBuilder<B extends ClientBuilder<B>> {
    private String token;
    private HttpClient httpClient;
    private Retries retries = Retries.standard();
    private final TrustedCertificates.Choice trust = new TrustedCertificates.Choice("trustCertificates");

    protected ClientBuilder() {
    }

    /**
     * The suite's bearer token every call carries, with the scopes of what the client does (a service answers 403
     * naming the one missing). Null or blank: none.
     */
    public B token(String token) {
        this.token = token == null || token.isBlank() ? null : token.strip();
        return self();
    }

    /** The HTTP client to use as it is (its own TLS settings; {@link #trustCertificates} does not apply). */
    public B httpClient(HttpClient httpClient) {
        this.httpClient = httpClient;
        return self();
    }

    /**
     * Trusts the CA certificates in {@code pemFile} (PEM) for {@code https://} URLs, besides the JDK's default trust
     * store; host names are still verified. Default: the file named by {@code MAESTRO_CA_CERT}, if set. Null: the
     * JDK's default trust store only. A missing or non-PEM file fails when the client is built.
     */
    public B trustCertificates(Path pemFile) {
        trust.set(pemFile);
        return self();
    }

    /**
     * When a call is sent again (see {@link Retries}); default {@link Retries#standard()}, {@link Retries#none()} to
     * turn it off. The registry's and election's clients have schedules of their own for heartbeats and watches
     * (a lease is not something to retry blindly), so they take no retries from here.
     */
    public B retries(Retries retries) {
        this.retries = Objects.requireNonNull(retries, "retries");
        return self();
    }

    /** The retries chosen. */
    protected Retries retries() {
        return retries;
    }

    /** The token set, or null. */
    protected String bearerToken() {
        return token;
    }

    /** The HTTP client given, or null: then {@link #trustingBuilder()} makes one. */
    protected HttpClient givenHttpClient() {
        return httpClient;
    }

    /** A builder of an HTTP client that trusts the chosen CA certificates. */
    protected HttpClient.Builder trustingBuilder() {
        return trust.httpClient();
    }

    /**
     * The transport of a client built here: the HTTP client given (else one trusting the chosen CAs, connecting within
     * {@code requestTimeout}), the token and the retries chosen.
     */
    protected ServiceHttp transport(String service, List<URI> bases, Duration requestTimeout) {
        HttpClient client = httpClient != null ? httpClient : trustingBuilder().connectTimeout(requestTimeout).build();
        return new ServiceHttp(service, bases, client, requestTimeout, token, retries);
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }
}
