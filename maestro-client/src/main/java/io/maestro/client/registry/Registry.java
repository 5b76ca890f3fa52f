package io.maestro.client.registry;

import io.maestro.client.http.ClientBuilder;
import io.maestro.client.http.ServiceHttp;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * What the registry holds, read: every service with its instance count, and one service's live instances. For a
 * program that looks rather than takes part (the CLI, a dashboard); a node registers and follows its dependencies
 * with {@link Maestro}.
 */
public final class Registry {
    /** How long a watch stream may stay silent (the registry sends a comment every 15 s) before it is reopened. */
    private static final Duration WATCH_IDLE_TIMEOUT = Duration.ofSeconds(45);
    private static final Duration WATCH_RECONNECT_DELAY = Duration.ofMillis(250);
    /** One daemon thread checks every open watch of this JVM for silence. */
    private static final ScheduledExecutorService IDLE_CHECKS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "maestro-registry-watch-idle");
        thread.setDaemon(true);
        return thread;
    });

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
        return service(service, attributes, false);
    }

    /**
     * The live instances of {@code service} whose attributes hold every entry of {@code attributes}; with
     * {@code healthyOnly}, only those that should get traffic (no failing check, active: {@link Instance#serving}).
     */
    public Service service(String service, Map<String, String> attributes, boolean healthyOnly) {
        String filter = java.util.stream.Stream.concat(attributes.entrySet().stream()
                                .map(e -> "attr." + ServiceHttp.segment(e.getKey()) + "=" + ServiceHttp.segment(e.getValue())),
                        healthyOnly ? java.util.stream.Stream.of("healthy=true") : java.util.stream.Stream.empty())
                .collect(Collectors.joining("&"));
        return http.read(http.get("v1/services/" + ServiceHttp.segment(service) + (filter.isEmpty() ? "" : "?" + filter)), Service.class);
    }

    /** An instance's state after {@link #setState}, and the service's revision then. */
    public record InstanceState(String service, String instanceId, String state, long revision) {
    }

    /**
     * Sets an instance's state as an operator (this client's token needs {@code registry:register} for the service):
     * {@code draining} or {@code maintenance} take it out of the healthy lists while it stays registered, {@code active}
     * brings it back. The change is announced ({@code STATE_CHANGED}) and names this token's subject.
     */
    public InstanceState setState(String service, String instanceId, String state) {
        return http.read(http.put("v1/services/" + ServiceHttp.segment(service) + "/instances/" + ServiceHttp.segment(instanceId)
                + "/state", java.util.Map.of("state", state)), InstanceState.class);
    }

    /** A service followed with {@link #watch}; closing it ends the stream. */
    public static final class Watch implements AutoCloseable {
        private final ServiceWatch watch;
        private final ScheduledFuture<?> idleCheck;

        private Watch(ServiceWatch watch, ScheduledFuture<?> idleCheck) {
            this.watch = watch;
            this.idleCheck = idleCheck;
        }

        /** How many times the stream was opened (more than once: it was resumed after a break). */
        public int connections() {
            return watch.connections();
        }

        @Override
        public void close() {
            idleCheck.cancel(false);
            watch.stop();
        }
    }

    /**
     * Follows {@code service}: {@code onList} is told (revision, every live instance) for its current list and after
     * each change, in revision order, on the watch's own thread. A broken stream is resumed from the last revision
     * seen, so no change is missed; a refusal (no scope, a bad name) is retried with backoff, so check with
     * {@link #service(String)} first to report it.
     */
    public Watch watch(String service, BiConsumer<Long, List<Instance>> onList) {
        ServiceWatch watch = new ServiceWatch(service, new RegistryHttp(http), WATCH_IDLE_TIMEOUT, WATCH_RECONNECT_DELAY, onList);
        watch.start();
        long every = WATCH_IDLE_TIMEOUT.toMillis() / 3;
        return new Watch(watch, IDLE_CHECKS.scheduleWithFixedDelay(watch::checkIdle, every, every, TimeUnit.MILLISECONDS));
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
