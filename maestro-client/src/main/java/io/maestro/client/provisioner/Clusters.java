package io.maestro.client.provisioner;

import io.maestro.client.http.ClientBuilder;
import io.maestro.client.http.ServiceHttp;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Every cluster of a provisioner, read: for a program that looks across clusters (the CLI, the console); one cluster
 * is launched, scaled, run on and destroyed with {@link Tinycloud}.
 */
public final class Clusters {
    private final ServiceHttp http;

    private Clusters(ServiceHttp http) {
        this.http = http;
    }

    /** Several replicas of the provisioner: a call that cannot reach one goes to the next. */
    public static Builder builder(List<URI> provisioners) {
        if (provisioners.isEmpty()) {
            throw new IllegalArgumentException("at least one provisioner URL is needed");
        }
        return new Builder(List.copyOf(provisioners));
    }

    /** Every cluster with its groups and nodes, by name. */
    public List<Cluster> list() {
        return http.readList(http.get("v1/clusters"), Cluster.class);
    }

    /** A command as the provisioner recorded it: what, on which cluster, by whom, and how it stands or ended. */
    @com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
    public record Command(String commandId, String type, String cluster, String actor, String status, String message,
                          String createdAt, String updatedAt) {
        public boolean ended() {
            return "SUCCEEDED".equals(status) || "FAILED".equals(status);
        }
    }

    /** Command {@code commandId} as recorded. */
    public Command command(String commandId) {
        return http.read(http.get("v1/commands/" + ServiceHttp.segment(commandId)), Command.class);
    }

    public static final class Builder extends ClientBuilder<Builder> {
        private final List<URI> provisioners;
        private Duration requestTimeout = Duration.ofSeconds(10);

        private Builder(List<URI> provisioners) {
            this.provisioners = provisioners;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        public Clusters build() {
            return new Clusters(transport("provisioner-service", provisioners, requestTimeout));
        }
    }
}
