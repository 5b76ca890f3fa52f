package io.maestro.console;

import io.maestro.client.TrustedCertificates;
import io.maestro.client.health.Readiness;
import io.maestro.client.http.MaestroApiException;
import io.maestro.client.inventory.Inventory;
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

    /**
     * The inventory at the URLs its replicas registered ({@code maestro.inventory}), found with the user's token.
     *
     * @throws MaestroApiException status 0 when no replica is registered (or the registry cannot be reached)
     */
    public Inventory inventory(String token) {
        return Inventory.builder(replicas(token, "maestro.inventory")).httpClient(http).token(token)
                .requestTimeout(config.requestTimeout()).retries(io.maestro.client.http.Retries.none()).build();
    }

    /** The election service's replicas as registered ({@code maestro.election}). */
    public io.maestro.client.election.Election election(String token) {
        return io.maestro.client.election.Election.builder(replicas(token, "maestro.election")).httpClient(http).token(token)
                .requestTimeout(config.requestTimeout()).retries(io.maestro.client.http.Retries.none()).build();
    }

    /** Every cluster, on the provisioner's replicas as registered ({@code maestro.provisioner}). */
    public io.maestro.client.provisioner.Clusters clusters(String token) {
        return io.maestro.client.provisioner.Clusters.builder(replicas(token, "maestro.provisioner")).httpClient(http).token(token)
                .requestTimeout(config.requestTimeout()).retries(io.maestro.client.http.Retries.none()).build();
    }

    /**
     * One cluster on the provisioner (its first registered replica): its builder, for groups and progress to be added.
     * An exec answers when every node has, so its calls may take up to {@code execTimeout}.
     */
    public io.maestro.client.provisioner.Tinycloud.Builder tinycloud(String token, String cluster, java.time.Duration execTimeout) {
        return io.maestro.client.provisioner.Tinycloud.builder(replicas(token, "maestro.provisioner").get(0), cluster)
                .httpClient(http).token(token).requestTimeout(execTimeout).retries(io.maestro.client.http.Retries.none());
    }

    /** The base URLs of a suite service's live replicas, as they registered themselves. */
    private java.util.List<java.net.URI> replicas(String token, String service) {
        java.util.List<java.net.URI> urls = registry(config.discoveryToken().orElse(token)).service(service).instances().stream()
                .map(instance -> java.net.URI.create(instance.endpoint())).toList();
        if (urls.isEmpty()) {
            throw new MaestroApiException(service + " has no live replica in the registry (" + registryUrls() + ")", null);
        }
        return urls;
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
