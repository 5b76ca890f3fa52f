package io.maestro.client.registry;

import io.maestro.client.MaestroEndpoints;
import io.maestro.client.http.ClientBuilder;
import io.maestro.events.Require;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The MaestroJS API over the Maestro registry-service.
 *
 * <pre>{@code
 * Maestro maestro = Maestro.builder(URI.create("http://registry:8081")).build();
 * maestro.use("billing", instances -> balancer.update(instances));   // whole list on every change
 * maestro.register("api", Map.of("endpoint", "http://10.0.0.7:8080", "version", "2"));
 * maestro.start(() -> server.listen());                             // once every used service has an instance
 * ...
 * maestro.quit();                                                    // deregister and stop
 * }</pre>
 *
 * <ul>
 *   <li>{@link #use} calls back with the whole instance list of a service, first with its current state, then on
 *       every change, in revision order. It follows the registry's watch and resumes from the last revision it saw
 *       after a disconnect, so no change is missed.</li>
 *   <li>{@link #register} takes effect once {@link #start} has found every dependency; the node then heartbeats
 *       every third of its TTL and registers again if the registry let it expire.</li>
 *   <li>{@link #start} runs its callback once every {@code use}d service has at least one instance (optionally
 *       giving up after a timeout).</li>
 *   <li>{@link #unregister} removes this node's registrations; {@link #quit} also stops watching.</li>
 * </ul>
 * Callbacks run one at a time, in order, on one thread of this object ("maestro-callbacks").
 */
public final class Maestro implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Maestro.class.getName());

    private final RegistryHttp http;
    private final String instanceId;
    private final Duration ttl;
    private final Duration idleTimeout;
    private final Duration reconnectDelay;
    private final ExecutorService callbacks;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Use> uses = new LinkedHashMap<>();
    private final List<Registration> registrations = new ArrayList<>();
    private final CompletableFuture<Void> started = new CompletableFuture<>();

    private Runnable onReady;
    private boolean startRequested;
    private boolean ready;
    private boolean quit;
    private ScheduledFuture<?> startTimeout;

    private Maestro(Builder builder) {
        this.http = new RegistryHttp(builder.client(), builder.registries, builder.requestTimeout, builder.bearer());
        this.instanceId = builder.instanceId != null ? Require.name(builder.instanceId, "instanceId") : defaultInstanceId();
        this.ttl = builder.ttl;
        this.idleTimeout = builder.idleTimeout;
        this.reconnectDelay = builder.reconnectDelay;
        this.callbacks = Executors.newSingleThreadExecutor(daemon("maestro-callbacks"));
        this.scheduler = Executors.newScheduledThreadPool(2, daemon("maestro-scheduler"));
        long idleCheck = Math.max(100, idleTimeout.toMillis() / 3);
        scheduler.scheduleWithFixedDelay(this::checkIdleWatches, idleCheck, idleCheck, TimeUnit.MILLISECONDS);
    }

    /** A client of the registry at {@code registry} (e.g. {@code http://127.0.0.1:8081}). */
    public static Builder builder(URI registry) {
        return new Builder(List.of(Objects.requireNonNull(registry, "registry")));
    }

    /**
     * A client of several registry replicas (their own URLs, where no load balancer stands in front of them): calls
     * go to one and move on to the next when it cannot be reached.
     */
    public static Builder builder(List<URI> registries) {
        if (registries.isEmpty()) {
            throw new IllegalArgumentException("at least one registry URL is needed");
        }
        return new Builder(List.copyOf(registries));
    }

    /**
     * A client of the registry named by {@code MAESTRO_REGISTRY_URL} (default {@code http://127.0.0.1:8081}), with the
     * token in {@code MAESTRO_TOKEN} when it is set (and, like every builder, trusting {@code MAESTRO_CA_CERT}).
     */
    public static Builder fromEnvironment() {
        return builder(MaestroEndpoints.fromEnvironment().registry()).token(System.getenv(MaestroEndpoints.TOKEN_VARIABLE));
    }

    public static final class Builder extends ClientBuilder<Builder> {
        private final List<URI> registries;
        private String instanceId;
        private Duration ttl = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofSeconds(45);
        private Duration reconnectDelay = Duration.ofMillis(100);

        private Builder(List<URI> registries) {
            this.registries = registries;
        }

        /** This node's instance id (a name: {@code [a-z0-9][a-z0-9._-]{0,127}}); default host-pid-random. */
        public Builder instanceId(String instanceId) {
            this.instanceId = instanceId;
            return this;
        }

        /** Time-to-live of this node's registrations (1 s to 1 h; default 10 s); heartbeats go every third of it. */
        public Builder ttl(Duration ttl) {
            if (ttl.toSeconds() < 1 || ttl.toSeconds() > 3600) {
                throw new IllegalArgumentException("ttl must be between 1 s and 1 h");
            }
            this.ttl = ttl;
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        /** A watch silent this long is reopened (the registry sends a keep-alive line every 15 s; default 45 s). */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = idleTimeout;
            return this;
        }

        /** First delay before reopening a lost watch (doubles up to 5 s). */
        public Builder reconnectDelay(Duration reconnectDelay) {
            this.reconnectDelay = reconnectDelay;
            return this;
        }

        /**
         * The suite's bearer token every call carries: {@code registry:register} (narrowed to the names registered,
         * e.g. {@code registry:register:payments.*}) to register, {@code registry:read} to {@code use} a service.
         * Null or blank: none.
         */
        @Override
        public Builder token(String token) {
            return super.token(token);
        }

        private HttpClient client() {
            return givenHttpClient() != null ? givenHttpClient() : trustingBuilder().connectTimeout(requestTimeout).build();
        }

        private String bearer() {
            return bearerToken();
        }

        public Maestro build() {
            return new Maestro(this);
        }
    }

    public String instanceId() {
        return instanceId;
    }

    /**
     * Follows {@code service}: {@code callback} gets its whole instance list now (once known) and after every
     * change. Several callbacks may follow one service.
     */
    public synchronized Maestro use(String service, Consumer<List<Instance>> callback) {
        return use(service, false, callback);
    }

    /**
     * Like {@link #use(String, Consumer)}; with {@code healthyOnly} the callback gets only the instances that should
     * get traffic (checks passing or none, state active: {@link Instance#serving}), and only when that list changes,
     * and {@link #start} waits until the service has one of them.
     */
    public synchronized Maestro use(String service, boolean healthyOnly, Consumer<List<Instance>> delivered) {
        Require.name(service, "service");
        Objects.requireNonNull(delivered, "callback");
        ensureOpen();
        Consumer<List<Instance>> callback = healthyOnly ? new ServingOnly(delivered) : delivered;
        Use use = uses.get(service);
        if (use == null) {
            use = new Use(service);
            uses.put(service, use);
            use.healthyOnly = healthyOnly;
            use.callbacks.add(callback);
            use.watch.start();
        } else {
            use.healthyOnly |= healthyOnly;
            use.callbacks.add(callback);
            if (use.watch.known()) {
                List<Instance> current = use.watch.instances();
                callbacks.execute(() -> deliver(callback, service, current));
            }
        }
        return this;
    }

    /**
     * Registers this node under {@code service} once {@link #start} has run. {@code attributes} must hold the
     * node's {@code endpoint} (an absolute URI); the other entries are its attributes.
     */
    public Maestro register(String service, Map<String, String> attributes) {
        Map<String, String> rest = new LinkedHashMap<>(attributes);
        String endpoint = rest.remove("endpoint");
        if (endpoint == null) {
            throw new IllegalArgumentException("attributes must contain \"endpoint\", e.g. http://10.0.0.7:8080");
        }
        return register(service, endpoint, rest);
    }

    /** Registers this node under {@code service} at {@code endpoint} once {@link #start} has run. */
    public synchronized Maestro register(String service, String endpoint, Map<String, String> attributes) {
        Require.name(service, "service");
        Objects.requireNonNull(endpoint, "endpoint");
        ensureOpen();
        Registration registration = new Registration(service, endpoint, Map.copyOf(attributes));
        registrations.add(registration);
        if (ready) {
            scheduler.execute(() -> activate(registration));
        }
        return this;
    }

    /** Runs {@code onReady} once every {@link #use}d service has at least one instance, after registering this node. */
    public void start(Runnable onReady) {
        start(onReady, null, null);
    }

    /**
     * Like {@link #start(Runnable)}, but gives up after {@code timeout}: then {@code onTimeout} gets the services
     * still without an instance, {@code onReady} does not run and nothing is registered.
     */
    public synchronized void start(Runnable onReady, Duration timeout, Consumer<Set<String>> onTimeout) {
        ensureOpen();
        if (startRequested) {
            throw new IllegalStateException("start() was already called");
        }
        startRequested = true;
        this.onReady = onReady == null ? () -> { } : onReady;
        if (timeout != null) {
            startTimeout = scheduler.schedule(() -> timedOut(onTimeout), timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        checkReady();
    }

    /** Completes when the start callback has run (exceptionally when start timed out or the client quit). */
    public CompletableFuture<Void> started() {
        return started;
    }

    /** The services {@link #start} still waits for. */
    public synchronized Set<String> missing() {
        Set<String> missing = new LinkedHashSet<>();
        uses.values().forEach(use -> {
            if (use.waiting()) {
                missing.add(use.service);
            }
        });
        return missing;
    }

    /** The last list seen of a {@link #use}d service (empty when unknown). */
    public synchronized List<Instance> instances(String service) {
        Use use = uses.get(service);
        return use == null ? List.of() : use.watch.instances();
    }

    /** The last revision seen of a {@link #use}d service (-1 when unknown). */
    public synchronized long revision(String service) {
        Use use = uses.get(service);
        return use == null ? -1 : use.watch.revision();
    }

    /** How many times the watch of a {@link #use}d service was opened (1 plus its reconnections). */
    public synchronized int watchConnections(String service) {
        Use use = uses.get(service);
        return use == null ? 0 : use.watch.connections();
    }

    /** Deregisters this node from every service (it may {@link #register} again). */
    public void unregister() {
        List<Registration> current;
        synchronized (this) {
            current = new ArrayList<>(registrations);
            registrations.clear();
        }
        for (Registration registration : current) {
            registration.stop();
            try {
                http.deregister(registration.service, instanceId, registration.token);
            } catch (MaestroException e) {
                if (e.status() != 404) {
                    LOG.log(System.Logger.Level.WARNING, "could not deregister from {0}: {1} (the TTL will remove it)",
                            registration.service, e.getMessage());
                }
            }
        }
    }

    /** Deregisters this node and stops following services; the object cannot be used afterwards. */
    public void quit() {
        synchronized (this) {
            if (quit) {
                return;
            }
            quit = true;
            if (startTimeout != null) {
                startTimeout.cancel(false);
            }
        }
        unregister();
        synchronized (this) {
            uses.values().forEach(use -> use.watch.stop());
        }
        started.completeExceptionally(new IllegalStateException("quit"));
        scheduler.shutdownNow();
        callbacks.shutdown();
    }

    @Override
    public void close() {
        quit();
    }

    private void ensureOpen() {
        if (quit) {
            throw new IllegalStateException("this Maestro has quit");
        }
    }

    private final class Use {
        final String service;
        final List<Consumer<List<Instance>>> callbacks = new CopyOnWriteArrayList<>();
        final ServiceWatch watch;
        /** A healthy-only callback follows it: start() waits for a serving instance. */
        volatile boolean healthyOnly;

        Use(String service) {
            this.service = service;
            this.watch = new ServiceWatch(service, http, idleTimeout, reconnectDelay, (revision, list) -> changed(this, list));
        }

        /** Whether start() still waits for it: no instance yet (no serving one, when followed healthy-only). */
        boolean waiting() {
            return healthyOnly ? watch.instances().stream().noneMatch(Instance::serving) : watch.instances().isEmpty();
        }
    }

    private void changed(Use use, List<Instance> list) {
        callbacks.execute(() -> use.callbacks.forEach(callback -> deliver(callback, use.service, list)));
        synchronized (this) {
            checkReady();
        }
    }

    /** A healthy-only callback: the serving instances, each time that list differs from the one it got last. */
    private static final class ServingOnly implements Consumer<List<Instance>> {
        private final Consumer<List<Instance>> callback;
        private List<Instance> last;

        ServingOnly(Consumer<List<Instance>> callback) {
            this.callback = callback;
        }

        @Override
        public synchronized void accept(List<Instance> all) {
            List<Instance> serving = all.stream().filter(Instance::serving).toList();
            if (last == null || !sameInstances(last, serving)) {
                last = serving;
                callback.accept(serving);
            }
        }

        /** Equal but for expiry times, which every heartbeat moves. */
        private static boolean sameInstances(List<Instance> a, List<Instance> b) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                Instance x = a.get(i);
                Instance y = b.get(i);
                if (!x.instanceId().equals(y.instanceId()) || !x.endpoint().equals(y.endpoint()) || !x.attributes().equals(y.attributes())) {
                    return false;
                }
            }
            return true;
        }
    }

    private static void deliver(Consumer<List<Instance>> callback, String service, List<Instance> list) {
        try {
            callback.accept(list);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "use(" + service + ") callback failed", e);
        }
    }

    /** Caller holds the lock. */
    private void checkReady() {
        if (!startRequested || ready || quit) {
            return;
        }
        for (Use use : uses.values()) {
            if (use.waiting()) {
                return;
            }
        }
        ready = true;
        if (startTimeout != null) {
            startTimeout.cancel(false);
        }
        List<Registration> pending = new ArrayList<>(registrations);
        Runnable callback = onReady;
        scheduler.execute(() -> {
            for (Registration registration : pending) {
                activate(registration);
            }
            callbacks.execute(() -> {
                try {
                    callback.run();
                    started.complete(null);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "start callback failed", e);
                    started.completeExceptionally(e);
                }
            });
        });
    }

    private void timedOut(Consumer<Set<String>> onTimeout) {
        Set<String> missing;
        synchronized (this) {
            if (ready || quit) {
                return;
            }
            startRequested = false;
            missing = missing();
        }
        started.completeExceptionally(new java.util.concurrent.TimeoutException("no instance of " + missing));
        if (onTimeout != null) {
            callbacks.execute(() -> onTimeout.accept(missing));
        }
    }

    /** Registers until it succeeds (or the client quits), then heartbeats every third of the TTL. */
    private void activate(Registration registration) {
        while (!registration.stopped && !quit) {
            try {
                registration.registerNow();
                return;
            } catch (MaestroException e) {
                if (e.status() >= 400 && e.status() < 500) {
                    LOG.log(System.Logger.Level.ERROR, "registration under {0} refused: {1}", registration.service, e.getMessage());
                    return;
                }
                LOG.log(System.Logger.Level.WARNING, "registration under {0} failed ({1}); retrying", registration.service, e.getMessage());
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private final class Registration {
        final String service;
        final String endpoint;
        final Map<String, String> attributes;
        /**
         * Chosen here and presented from the first registration on, so a registration whose answer was lost can be
         * sent again (to any registry replica) as an update of the same instance instead of being refused.
         */
        volatile String token = newToken();
        volatile boolean stopped;
        ScheduledFuture<?> heartbeats;

        Registration(String service, String endpoint, Map<String, String> attributes) {
            this.service = service;
            this.endpoint = endpoint;
            this.attributes = attributes;
        }

        synchronized void registerNow() {
            if (stopped) {
                return;
            }
            RegistryHttp.Registered registered = http.register(service, instanceId, endpoint, attributes, (int) ttl.toSeconds(), token);
            token = registered.token();
            if (heartbeats == null) {
                long every = Math.max(100, registered.ttlSeconds() * 1000L / 3);
                heartbeats = scheduler.scheduleAtFixedRate(this::beat, every, every, TimeUnit.MILLISECONDS);
            }
        }

        /** Renews the TTL; registers again (with the same token) when the registry let it expire. */
        void beat() {
            String current = token;
            if (stopped) {
                return;
            }
            try {
                http.heartbeat(service, instanceId, current);
            } catch (MaestroException e) {
                if (e.status() == 404) {
                    LOG.log(System.Logger.Level.WARNING, "registration under {0} had expired: registering again", service);
                    try {
                        registerNow();
                    } catch (MaestroException again) {
                        LOG.log(System.Logger.Level.WARNING, "registering again under {0} failed ({1}); retrying at the next heartbeat",
                                service, again.getMessage());
                    }
                } else if (e.status() == 403) {
                    LOG.log(System.Logger.Level.ERROR, "instance {0} of {1} expired and was registered again by another process: no more heartbeats",
                            instanceId, service);
                    stop();
                } else {
                    LOG.log(System.Logger.Level.DEBUG, "heartbeat under {0} failed: {1}", service, e.getMessage());
                }
            }
        }

        synchronized void stop() {
            stopped = true;
            if (heartbeats != null) {
                heartbeats.cancel(false);
            }
        }
    }

    private void checkIdleWatches() {
        List<Use> current;
        synchronized (this) {
            current = new ArrayList<>(uses.values());
        }
        current.forEach(use -> use.watch.checkIdle());
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private static final java.security.SecureRandom TOKENS = new java.security.SecureRandom();

    /** 256 random bits, URL-safe: the form the registry issues and accepts from a client. */
    static String newToken() {
        byte[] bytes = new byte[32];
        TOKENS.nextBytes(bytes);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "node";
        }
        String cleaned = host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-").replaceAll("^[^a-z0-9]+", "");
        if (cleaned.isEmpty()) {
            cleaned = "node";
        }
        if (cleaned.length() > 80) {
            cleaned = cleaned.substring(0, 80);
        }
        return cleaned + "-" + ProcessHandle.current().pid() + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xFFFFFF));
    }
}
