package io.maestro.support.registration;

import io.maestro.client.registry.Maestro;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Registers this replica in the registry as {@code maestro.<service>} with its URL and version when it starts,
 * heartbeats (through the MaestroJS client, which registers again after an expiry and retries while the registry
 * is not up yet), and deregisters when it stops, so its stop is announced on {@code maestro.registry.changes}. A
 * replica that dies without stopping is announced EXPIRED once its TTL ran out. Over HTTPS it trusts the CAs of
 * {@code MAESTRO_CA_CERT} (besides the JDK's) and, when the replica serves HTTPS only, announces its https URL.
 */
@ApplicationScoped
public class SelfRegistration {
    private final SelfRegistrationConfig config;
    private final ServiceInstance instance;
    private final int httpPort;
    private final int sslPort;
    private final boolean httpsOnly;
    private final Optional<Path> caCertificates;
    private Maestro maestro;

    /**
     * {@code caCertificates}: {@code maestro.ca-cert}, i.e. {@code MAESTRO_CA_CERT}, the PEM file of CAs every Maestro
     * HTTP client trusts besides the JDK's (the registry's certificate is signed by one of them).
     */
    public SelfRegistration(SelfRegistrationConfig config, ServiceInstance instance,
                            @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080") int httpPort,
                            @ConfigProperty(name = "quarkus.http.ssl-port", defaultValue = "8443") int sslPort,
                            @ConfigProperty(name = "quarkus.http.insecure-requests", defaultValue = "enabled") String insecureRequests,
                            @ConfigProperty(name = "maestro.ca-cert") Optional<Path> caCertificates) {
        this.config = config;
        this.instance = instance;
        this.httpPort = httpPort;
        this.sslPort = sslPort;
        // "disabled" (HTTPS only) or "redirect": plain HTTP is no way in, so the URL others get is the HTTPS one.
        this.httpsOnly = !"enabled".equalsIgnoreCase(insecureRequests.strip());
        this.caCertificates = caCertificates;
    }

    synchronized void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            return;
        }
        String url = advertisedUrl();
        maestro = Maestro.builder(config.registryUrl())
                .instanceId(instance.id())
                .ttl(config.ttl())
                .requestTimeout(Duration.ofSeconds(2))
                .token(config.token().orElse(null))
                .trustCertificates(caCertificates.orElse(null))
                .build();
        maestro.register(instance.registryName(), url, Map.of("version", instance.version()));
        maestro.start(() -> Log.infof("registered as %s/%s at %s in %s", instance.registryName(), instance.id(), url,
                config.registryUrl()));
    }

    /** Before the HTTP server closes (so the registry-service can still reach itself). */
    void onStopping(@Observes ShutdownDelayInitiatedEvent event) {
        deregister();
    }

    void onStop(@Observes ShutdownEvent event) {
        deregister();
    }

    private synchronized void deregister() {
        if (maestro != null) {
            maestro.quit();
            maestro = null;
        }
    }

    /** The URL this replica announces. */
    public String advertisedUrl() {
        return config.advertisedUrl().orElse(defaultUrl(ServiceInstance.hostName(), httpsOnly, httpPort, sslPort));
    }

    /** {@code https://host:<ssl port>} when the replica serves HTTPS only, else {@code http://host:<http port>}. */
    static String defaultUrl(String host, boolean httpsOnly, int httpPort, int sslPort) {
        return httpsOnly ? "https://" + host + ":" + sslPort : "http://" + host + ":" + httpPort;
    }
}
