package io.maestro.client;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * Where the four services are. Read from the environment (the variables {@code ./maestro up} writes to
 * {@code .maestro/stack.env}) or given explicitly; defaults are the suite's local ports.
 */
public record MaestroEndpoints(URI registry, URI election, URI inventory, URI provisioner) {
    public static final String REGISTRY_VARIABLE = "MAESTRO_REGISTRY_URL";
    public static final String ELECTION_VARIABLE = "MAESTRO_ELECTION_URL";
    public static final String INVENTORY_VARIABLE = "MAESTRO_INVENTORY_URL";
    public static final String PROVISIONER_VARIABLE = "MAESTRO_PROVISIONER_URL";
    /** The bearer token clients send, when they are given no other. */
    public static final String TOKEN_VARIABLE = "MAESTRO_TOKEN";
    /**
     * A PEM file of CA certificates every Maestro HTTP client trusts in addition to the JDK's default trust store
     * (for services serving HTTPS with a private CA's certificate); see {@link TrustedCertificates}.
     */
    public static final String CA_CERT_VARIABLE = "MAESTRO_CA_CERT";

    public MaestroEndpoints {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(election, "election");
        Objects.requireNonNull(inventory, "inventory");
        Objects.requireNonNull(provisioner, "provisioner");
    }

    public static MaestroEndpoints fromEnvironment() {
        return from(System.getenv());
    }

    public static MaestroEndpoints from(Map<String, String> env) {
        return new MaestroEndpoints(
                URI.create(env.getOrDefault(REGISTRY_VARIABLE, "http://127.0.0.1:8081")),
                URI.create(env.getOrDefault(ELECTION_VARIABLE, "http://127.0.0.1:8082")),
                URI.create(env.getOrDefault(INVENTORY_VARIABLE, "http://127.0.0.1:8083")),
                URI.create(env.getOrDefault(PROVISIONER_VARIABLE, "http://127.0.0.1:8084")));
    }
}
