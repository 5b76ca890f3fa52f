package io.maestro.client.registry;

import io.maestro.client.http.ClientBuilder;
import io.maestro.client.http.ServiceHttp;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the registry holds, read: every service with its instance count, and one service's live instances. For a
 * program that looks rather than takes part (the CLI, a dashboard); a node registers and follows its dependencies
 * with {@link Maestro}.
 */
public final class Registry {
    private final ServiceHttp http;

    private Registry(ServiceHttp http) {
        this.http = http;
    }

    /** A service as the registry lists it: how many live instances it has, and its revision (bumped by each change). */
    public record ServiceSummary(String service, long instances, long revision) {
    }

    /** A service's live instances at one revision (none, at revision 0, for a service never registered). */
    public record Service(String service, long revision, List<Instance> instances) {
        public Service {
            instances = instances == null ? List.of() : List.copyOf(instances);
        }
    }

    public static Builder builder(URI registry) {
        return builder(List.of(registry));
    }

    /** Several replicas of the registry: a call that cannot reach one goes to the next. */
    public static Builder builder(List<URI> registries) {
        if (registries.isEmpty()) {
            throw new IllegalArgumentException("at least one registry URL is needed");
        }
        return new Builder(List.copyOf(registries));
    }

    /** Every service with at least one live instance, by name. */
    public List<ServiceSummary> services() {
        return http.readList(http.get("v1/services"), ServiceSummary.class);
    }

    /** The live instances of {@code service}. */
    public Service service(String service) {
        return service(service, Map.of());
    }

    /** The live instances of {@code service} whose attributes hold every entry of {@code attributes}. */
    public Service service(String service, Map<String, String> attributes) {
        String filter = attributes.entrySet().stream()
                .map(e -> "attr." + ServiceHttp.segment(e.getKey()) + "=" + ServiceHttp.segment(e.getValue()))
                .collect(Collectors.joining("&"));
        return http.read(http.get("v1/services/" + ServiceHttp.segment(service) + (filter.isEmpty() ? "" : "?" + filter)), Service.class);
    }


    public static final class Builder extends ClientBuilder<Builder> {
        private final List<URI> registries;
        private Duration requestTimeout = Duration.ofSeconds(10);

        private Builder(List<URI> registries) {
            this.registries = registries;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        public Registry build() {
            return new Registry(transport("registry-service", registries, requestTimeout));
        }
    }
}
