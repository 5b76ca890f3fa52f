package io.maestro.console;

import io.maestro.client.TrustedCertificates;
import io.maestro.client.health.Readiness;
import io.maestro.client.registry.Registry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The SDK's clients, made per request with the signed-in user's token over one shared HTTP client (which trusts the
 * CAs of {@code MAESTRO_CA_CERT} besides the JDK's): the console reaches the services only through their public APIs.
 */
@ApplicationScoped
public class ConsoleClients {
    private final ConsoleConfig config;
    private final HttpClient http;
    private final Readiness readiness;

    public ConsoleClients(ConsoleConfig config, @ConfigProperty(name = "maestro.ca-cert") Optional<Path> caCertificates) {
        this.config = config;
        this.http = TrustedCertificates.httpClient(caCertificates.orElse(null), "maestro.ca-cert")
                .connectTimeout(config.requestTimeout()).build();
        this.readiness = Readiness.builder().httpClient(http).timeout(config.requestTimeout()).build();
    }

    public Registry registry(String token) {
        return Registry.builder(config.registryUrl()).httpClient(http).token(token).requestTimeout(config.requestTimeout()).build();
    }

    /** Every replica's {@code /q/health/ready} (no token needed). */
    public Readiness readiness() {
        return readiness;
    }

    /** Where the registry is, for a banner when it cannot be reached. */
    public String registryUrls() {
        return String.join(", ", config.registryUrl().stream().map(Object::toString).toList());
    }
}
