package io.maestro.support.registration;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.UUID;

/**
 * Who this process is within the suite: one id per replica, used for its registry instance and wherever a replica
 * must name itself (e.g. the provisioner's command claims), so an operator can tie one to the other.
 */
@ApplicationScoped
public class ServiceInstance {
    private final String applicationName;
    private final String version;
    private final String id;

    public ServiceInstance(@ConfigProperty(name = "quarkus.application.name") String applicationName,
                           @ConfigProperty(name = "quarkus.application.version", defaultValue = "unknown") String version) {
        this.applicationName = applicationName;
        this.version = version;
        // Host and pid say where to look; the random part keeps a restarted container (same host, pid 1) distinct.
        this.id = (hostName() + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
    }

    /** This replica's id, a registry name ({@code [a-z0-9][a-z0-9._-]{0,127}}). */
    public String id() {
        return id;
    }

    /** The registry service it registers under: {@code registry-service} becomes {@code maestro.registry}. */
    public String registryName() {
        return "maestro." + applicationName.replaceFirst("-service$", "");
    }

    public String applicationName() {
        return applicationName;
    }

    public String version() {
        return version;
    }

    static String hostName() {
        try {
            String host = InetAddress.getLocalHost().getHostName();
            return host.length() > 63 ? host.substring(0, 63) : host;
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
