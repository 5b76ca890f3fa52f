package io.maestro.support.registration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How a Maestro service announces itself in the registry as {@code maestro.<service>} (environment variables
 * {@code MAESTRO_SELF_REGISTRATION_*}).
 */
@ConfigMapping(prefix = "maestro.self-registration")
public interface SelfRegistrationConfig {
    /** Whether this replica registers itself at start and deregisters when it stops. */
    @WithDefault("true")
    boolean enabled();

    /**
     * Base URL of the registry-service ({@code https://} when it serves HTTPS; its certificate is checked against the
     * JDK's CAs and those of {@code MAESTRO_CA_CERT}): the Service in front of its replicas, or the replicas' own URLs separated by
     * commas, which the replica then fails over between.
     */
    @WithDefault("http://127.0.0.1:8081")
    List<URI> registryUrl();

    /**
     * The URL other parties reach this replica at; default {@code http://<host name>:<http port>}, or
     * {@code https://<host name>:<ssl port>} when the replica serves HTTPS only
     * ({@code quarkus.http.insecure-requests=disabled}). Set it where the host name does not resolve for them (a
     * pod's IP, a published port).
     */
    Optional<String> advertisedUrl();

    /** Time-to-live of the registration; the replica heartbeats every third of it, so a crash shows within it. */
    @WithDefault("10s")
    Duration ttl();

    /**
     * The suite token this replica registers with: {@code registry:register:maestro.*} is enough (the runner and the
     * suite tests mint one; see the README's access control). Without one the registry refuses the registration,
     * and the replica logs why and keeps trying.
     */
    Optional<String> token();
}
