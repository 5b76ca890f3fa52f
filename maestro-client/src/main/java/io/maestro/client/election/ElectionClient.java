package io.maestro.client.election;

import io.maestro.client.http.ClientBuilder;
import io.maestro.client.http.MaestroApiException;
import io.maestro.client.http.ServiceHttp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.client.TrustedCertificates;
import io.maestro.events.EventCodec;
import io.maestro.events.LeadershipChanged;
import io.maestro.events.Require;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A unit of an app taking part in its group's election through the election-service: msc's API
 * ({@code isMaster}, {@code doIfMaster}, {@code addKey}, {@code removeKey}, {@code isMasterByKey},
 * {@code doIfMasterByKey}, {@code update}, {@code quit}) without msc's double masters.
 *
 * <pre>{@code
 * ElectionClient unit = ElectionClient.builder(URI.create("http://127.0.0.1:8082"), "billing", "unit-1")
 *         .ttl(Duration.ofSeconds(2)).keys(List.of("tenant-1", "tenant-2"))
 *         .onLeadershipGained(lease -> log.info("leading with token " + lease.fencingToken()))
 *         .start();
 * unit.doIfMaster(lease -> runNightlyJob(lease.fencingToken(), lease.deadlineNanos()));
 * unit.doIfMasterByKey("tenant-1", lease -> syncTenant("tenant-1", lease));
 * unit.quit();
 * }</pre>
 *
 * <p>How it stays safe: it heartbeats every third of the TTL and believes the service only up to the lease it
 * last got, measured from when that heartbeat was <em>sent</em> on the monotonic clock. A unit that cannot reach
 * the service (or is paused) therefore stops being master when its lease could have run out at the service, before
 * anyone else can be elected. Tasks get the fencing token and that deadline. A key that a rebalance moves away is
 * given up at once (no new task starts) and confirmed to the service once its running tasks ended, so the next
 * holder starts only after this one stopped. Nothing is ever queued: a task runs now, on the caller's thread, or
 * not at all.
 *
 * <p>It also follows the group's Server-Sent Events (unless {@link Builder#watch(boolean) watch(false)}), so a
 * change that concerns it is picked up by an immediate heartbeat rather than at the next one. A dropped stream, or
 * one the service ended with {@code fell-behind} because this client read too slowly, is resumed after the last event
 * seen ({@code Last-Event-ID}), so {@link Builder#onEvent} misses none the service still holds.
 */
public final class ElectionClient implements AutoCloseable {
    private static final ObjectMapper JSON = EventCodec.mapper();
    private static final String TOKEN_HEADER = "X-Maestro-Token";

    private final List<URI> services;
    private final String group;
    private final String candidateId;
    private final long ttlMillis;
    private final long beatNanos;
    private final Duration requestTimeout;
    private final Map<String, Object> metadata;
    private final int priority;
    private final HttpClient http;
    private final boolean watch;
    /** Resigns when the JVM stops (see {@link Builder#releaseOnShutdown(boolean)}); null when not asked. */
    private final Thread releaseOnShutdown;
    private final Listeners listeners;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService callbacks;

    // Guarded by this.
    private final CandidateState state;
    private boolean beatInFlight;
    private boolean beatAgain;
    private ScheduledFuture<?> nextBeat;
    private ScheduledFuture<?> expiryCheck;

    private volatile GroupEvents events;
    /** The suite's one transport, to this client's election service. */
    private final ServiceHttp transport;

    private ElectionClient(Builder b) {
        this.services = b.services;
        this.group = b.group;
        this.candidateId = b.candidateId;
        this.ttlMillis = b.ttl.toMillis();
        this.beatNanos = TimeUnit.MILLISECONDS.toNanos(ttlMillis) / 3;
        this.requestTimeout = Duration.ofNanos(Math.max(beatNanos, TimeUnit.MILLISECONDS.toNanos(250)));
        this.metadata = Map.copyOf(b.metadata);
        this.priority = b.priority;
        this.state = new CandidateState(b.keys, System::nanoTime);
        // HTTP/1.1: a heartbeat is one short request on a kept-alive connection, the watch holds its own.
        this.http = b.client(requestTimeout);
        this.watch = b.watch;
        this.releaseOnShutdown = b.releaseOnShutdown ? new Thread(this::quit, "election-client-release-" + candidateId) : null;
        this.transport = new ServiceHttp("election-service", services, http, requestTimeout, b.bearer());
        this.listeners = new Listeners(b.onGained, b.onLost, b.onKeyGained, b.onKeyLost, b.onError, b.onEvent);
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("election-client-" + candidateId));
        this.callbacks = Executors.newSingleThreadExecutor(daemon("election-client-callbacks-" + candidateId));
    }

    public static Builder builder(URI service, String group, String candidateId) {
        return new Builder(List.of(service), group, candidateId);
    }

    /** Several replicas of the election service: a call that cannot reach one goes to the next. */
    public static Builder builder(List<URI> services, String group, String candidateId) {
        if (services.isEmpty()) {
            throw new IllegalArgumentException("at least one election service URL is needed");
        }
        return new Builder(List.copyOf(services), group, candidateId);
    }

    public String group() {
        return group;
    }

    public String candidateId() {
        return candidateId;
    }

    /** Whether this unit holds the group's leadership right now (msc {@code isMaster}). */
    public synchronized boolean isMaster() {
        return state.groupToken() != null;
    }

    /** Whether this unit holds {@code key} right now (msc {@code isMasterByKey}). */
    public synchronized boolean isMasterByKey(String key) {
        return state.keyToken(key) != null;
    }

    /** The group lease while this unit leads. */
    public synchronized Optional<Lease> lease() {
        return Optional.ofNullable(state.groupLease());
    }

    /** The lease of {@code key} while this unit holds it. */
    public synchronized Optional<Lease> lease(String key) {
        return Optional.ofNullable(state.keyLease(key));
    }

    /** The keys this unit holds right now. */
    public synchronized Set<String> heldKeys() {
        return state.heldKeys();
    }

    /**
     * Runs {@code task} on this thread if this unit leads the group, and returns whether it ran (msc
     * {@code doIfMaster}, without its queue). The task must stop by {@link Lease#deadlineNanos()}.
     */
    public boolean doIfMaster(Consumer<Lease> task) {
        Lease lease;
        synchronized (this) {
            lease = state.startGroupTask();
            if (lease == null) {
                return false;
            }
        }
        boolean confirm;
        try {
            task.accept(lease);
        } finally {
            synchronized (this) {
                confirm = state.endGroupTask();
                notifyAll();
            }
        }
        if (confirm) {
            update(); // the seat goes to the preferred candidate as soon as the work under it has drained
        }
        return true;
    }

    /** Runs {@code task} on this thread if this unit holds {@code key}; returns whether it ran (msc {@code doIfMasterByKey}). */
    public boolean doIfMasterByKey(String key, Consumer<Lease> task) {
        Lease lease;
        synchronized (this) {
            lease = state.startKeyTask(key);
            if (lease == null) {
                return false;
            }
        }
        boolean confirm;
        try {
            task.accept(lease);
        } finally {
            synchronized (this) {
                confirm = state.endKeyTask(key);
                notifyAll();
            }
        }
        if (confirm) {
            update();
        }
        return true;
    }

    /** Waits until this unit leads the group or {@code timeout} passes; returns whether it leads. */
    public synchronized boolean awaitMaster(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (state.groupToken() == null) {
            long left = end - System.nanoTime();
            if (left <= 0 || state.stopped()) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, beatNanos));
        }
        return true;
    }

    /** Waits until this unit holds {@code key} or {@code timeout} passes; returns whether it holds it. */
    public synchronized boolean awaitMasterByKey(String key, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (state.keyToken(key) == null) {
            long left = end - System.nanoTime();
            if (left <= 0 || state.stopped()) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, beatNanos));
        }
        return true;
    }

    /** Declares a key this unit can serve (msc {@code addKey}); kept for every later join. */
    public CompletableFuture<Void> addKey(String key) {
        name(key, "key");
        String t;
        synchronized (this) {
            if (!state.addKey(key) || state.token() == null || state.stopped()) {
                return CompletableFuture.completedFuture(null);
            }
            t = state.token();
        }
        long sent = System.nanoTime();
        return transport.sendAsync("PUT", path("/candidates/" + encode(candidateId) + "/keys/" + encode(key)), null, leaseHeader(t))
                .thenAccept(response -> handleLeaseResponse(t, sent, response, "declaring key " + key));
    }

    /**
     * Withdraws a key (msc {@code removeKey}): this unit stops treating it as held at once, waits for its running
     * tasks on the key (at most until the lease deadline), then tells the service, which hands it over.
     */
    public CompletableFuture<Void> removeKey(String key) {
        Objects.requireNonNull(key, "key");
        synchronized (this) {
            if (!state.removeKey(key)) {
                return CompletableFuture.completedFuture(null);
            }
            publish();
        }
        return CompletableFuture.runAsync(() -> awaitIdle(key), Waiters.POOL)
                .thenCompose(idle -> {
                    String t;
                    synchronized (this) {
                        t = state.token();
                    }
                    if (t == null) {
                        return CompletableFuture.completedFuture(null);
                    }
                    long sent = System.nanoTime();
                    return transport.sendAsync("DELETE", path("/candidates/" + encode(candidateId) + "/keys/" + encode(key)), null, leaseHeader(t))
                            .thenAccept(response -> handleLeaseResponse(t, sent, response, "withdrawing key " + key));
                });
    }

    /** Heartbeats now instead of at the next period (msc {@code update}); the future completes when it was sent. */
    public CompletableFuture<Void> update() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            scheduler.execute(() -> {
                beat();
                done.complete(null);
            });
        } catch (RuntimeException rejected) {
            done.complete(null); // quit already
        }
        return done;
    }

    /**
     * Leaves the group (msc {@code quit}): no new task starts, running ones get until the lease deadline to end,
     * then the service hands leadership and keys over at once.
     */
    public void quit() {
        String t;
        long waitUntil;
        synchronized (this) {
            if (state.stopped()) {
                return;
            }
            t = state.stop();
            publish();
            waitUntil = state.hasLease() ? state.deadlineNanos() : System.nanoTime();
            while (state.busy() && waitUntil - System.nanoTime() > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, waitUntil - System.nanoTime());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (nextBeat != null) {
                nextBeat.cancel(false);
            }
        }
        GroupEvents following = events;
        if (following != null) {
            following.close();
        }
        if (t != null) {
            try {
                transport.send("DELETE", path("/candidates/" + encode(candidateId)), null, leaseHeader(t));
            } catch (IOException e) {
                listeners.error(new ElectionException("could not resign from group " + group + " (the lease will run out)", e), callbacks);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        scheduler.shutdownNow();
        callbacks.shutdown();
        if (releaseOnShutdown != null && Thread.currentThread() != releaseOnShutdown) {
            try {
                Runtime.getRuntime().removeShutdownHook(releaseOnShutdown);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is stopping: the hook runs and finds this unit stopped
            }
        }
    }

    @Override
    public void close() {
        quit();
    }

    // ---------------------------------------------------------------------------------------------------------

    private ElectionClient begin() {
        if (releaseOnShutdown != null) {
            Runtime.getRuntime().addShutdownHook(releaseOnShutdown);
        }
        scheduler.execute(this::beat);
        if (watch) {
            // One that names this unit triggers a heartbeat now; so does every (re)opening: whatever happened meanwhile.
            events = new GroupEvents(transport, group, null, "election-client-watch-" + candidateId, this::update, event -> {
                if (candidateId.equals(event.leader()) || candidateId.equals(event.previousLeader())) {
                    update();
                }
                listeners.run(() -> listeners.onEvent.accept(event), callbacks);
            }).start();
        }
        return this;
    }

    /** One heartbeat (or join); runs on the scheduler thread. */
    private void beat() {
        String t;
        List<String> released;
        boolean releasedLeadership;
        synchronized (this) {
            if (state.stopped()) {
                return;
            }
            if (beatInFlight) {
                beatAgain = true;
                return;
            }
            beatInFlight = true;
            t = state.token();
            released = state.releasable();
            releasedLeadership = state.leadershipReleasable();
        }
        long sent = System.nanoTime();
        CompletableFuture<HttpResponse<String>> answer;
        if (t == null) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("candidateId", candidateId);
            body.put("ttlMillis", ttlMillis);
            synchronized (this) {
                body.put("keys", state.desiredKeys());
            }
            body.put("metadata", metadata);
            if (priority != 0) {
                body.put("priority", priority);
            }
            answer = transport.sendAsync("POST", path("/candidates"), body, Map.of());
        } else {
            Map<String, Object> body = new LinkedHashMap<>();
            if (!released.isEmpty()) {
                body.put("releasedKeys", released);
            }
            if (releasedLeadership) {
                body.put("releasedLeadership", true);
            }
            answer = transport.sendAsync("PUT", path("/candidates/" + encode(candidateId) + "/heartbeat"), body, leaseHeader(t));
        }
        answer.whenComplete((response, failure) -> afterBeat(t, sent, response, failure));
    }

    private void afterBeat(String usedToken, long sent, HttpResponse<String> response, Throwable failure) {
        long next = beatNanos;
        long retry = Math.min(beatNanos, TimeUnit.MILLISECONDS.toNanos(100));
        try {
            if (failure != null) {
                listeners.error(new ElectionException("election service " + (services.size() == 1 ? services.get(0) : services) + " unreachable: " + describe(failure), failure), callbacks);
                next = retry;
            } else if (usedToken == null) {
                if (response.statusCode() == 201) {
                    JsonNode body = JSON.readTree(response.body());
                    String joined = body.get("token").asText();
                    boolean late;
                    synchronized (this) {
                        late = !state.joined(joined, answer(body), sent);
                        if (!late) {
                            afterAnswer();
                        }
                    }
                    if (late) { // quit while the join was on its way: leave at once
                        transport.sendAsync("DELETE", path("/candidates/" + encode(candidateId)), null, leaseHeader(joined));
                    }
                } else {
                    // 409: an earlier incarnation of this candidate still holds a lease; it runs out within the TTL
                    listeners.error(problem("joining group " + group, response), callbacks);
                    next = response.statusCode() == 409 ? beatNanos : retry;
                }
            } else if (!handleLeaseResponse(usedToken, sent, response, "heartbeat")) {
                synchronized (this) {
                    next = state.token() == null ? 0 : retry; // lease gone: join again at once
                }
            }
        } catch (IOException | RuntimeException e) {
            listeners.error(new ElectionException("unexpected answer of the election service: " + e, e), callbacks);
            next = retry;
        } finally {
            synchronized (this) {
                beatInFlight = false;
                if (!state.stopped()) {
                    long delay = beatAgain ? 0 : Math.max(0, sent + next - System.nanoTime());
                    beatAgain = false;
                    if (nextBeat != null) {
                        nextBeat.cancel(false);
                    }
                    try {
                        nextBeat = scheduler.schedule(this::beat, delay, TimeUnit.NANOSECONDS);
                    } catch (RuntimeException rejected) {
                        // shutting down
                    }
                }
                publish();
            }
        }
    }

    /** Applies a heartbeat or key answer; returns false when the lease is gone or the answer is an error. */
    private boolean handleLeaseResponse(String usedToken, long sent, HttpResponse<String> response, String what) {
        int status = response.statusCode();
        if (status == 200) {
            try {
                JsonNode body = JSON.readTree(response.body());
                synchronized (this) {
                    if (state.answered(usedToken, answer(body), sent)) {
                        afterAnswer();
                        publish();
                    }
                }
                return true;
            } catch (JsonProcessingException e) {
                throw new ElectionException("unreadable answer to " + what + ": " + e.getOriginalMessage(), e);
            }
        }
        if (status == 404 || status == 403) {
            synchronized (this) {
                state.leaseGone(usedToken); // join again
                publish();
            }
            if (status == 403) {
                listeners.error(problem(what, response), callbacks);
            }
            return false;
        }
        listeners.error(problem(what, response), callbacks);
        return false;
    }

    /** The fields of a join, heartbeat or key answer that the candidate's state takes in. */
    private static CandidateState.Answer answer(JsonNode body) {
        Map<String, Long> keys = new LinkedHashMap<>();
        for (JsonNode key : body.path("keys")) {
            keys.put(key.get("key").asText(), key.get("fencingToken").asLong());
        }
        List<String> releasing = new ArrayList<>();
        for (JsonNode key : body.path("releasing")) {
            releasing.add(key.asText());
        }
        Long fencingToken = body.path("leader").asBoolean() && body.hasNonNull("fencingToken") ? body.get("fencingToken").asLong() : null;
        return new CandidateState.Answer(body.get("leaseRemainingMillis").asLong(), fencingToken, keys, releasing,
                body.path("releasingLeadership").asBoolean(false));
    }

    /** After an answer was taken in: confirm idle keys at once, and tell the listeners when the lease runs out. Caller holds the lock. */
    private void afterAnswer() {
        if (!state.releasable().isEmpty() || state.leadershipReleasable()) {
            try {
                scheduler.execute(this::beat); // confirm at once the keys (and the seat) no task uses any more
            } catch (RuntimeException rejected) {
                // shutting down
            }
        }
        if (expiryCheck != null) {
            expiryCheck.cancel(false);
        }
        try {
            expiryCheck = scheduler.schedule(() -> {
                synchronized (this) {
                    publish();
                }
            }, Math.max(0, state.deadlineNanos() - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (RuntimeException rejected) {
            // shutting down
        }
    }

    /** Tells the listeners what changed since they were last told, in order. Caller holds the lock. */
    private void publish() {
        List<CandidateState.Change> changes = state.changes();
        notifyAll();
        for (CandidateState.Change change : changes) {
            listeners.run(() -> listeners.tell(change), callbacks);
        }
    }

    private void awaitIdle(String key) {
        synchronized (this) {
            long until = state.hasLease() ? state.deadlineNanos() : System.nanoTime();
            while (state.busy(key) && until - System.nanoTime() > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, until - System.nanoTime());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private synchronized boolean isStopped() {
        return state.stopped();
    }

    /** A path under this client's group. */
    private String path(String rest) {
        return "v1/groups/" + encode(group) + rest;
    }

    /** The header that proves this unit's lease ({@code X-Maestro-Token}). */
    private static Map<String, String> leaseHeader(String token) {
        return Map.of(TOKEN_HEADER, token);
    }

    /** An error answer as the election client says it: "{@code what} failed with {@code status}: detail". */
    private ElectionException problem(String what, HttpResponse<String> response) {
        MaestroApiException problem = transport.problem(response.statusCode(), response.body());
        return new ElectionException(response.statusCode(), what + " failed with " + response.statusCode() + ": "
                + (problem.detail() != null ? problem.detail() : problem.title() != null ? problem.title() : ""));
    }

    /** A failed request in words: a TLS refusal says what to trust (see {@link TrustedCertificates#describe}). */
    private static String describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException io) {
                return TrustedCertificates.describe(io);
            }
        }
        return String.valueOf(failure);
    }

    /** Names follow the suite's rule (DESIGN.md section 5); checked here so a typo fails at once, not on every retry. */
    private static String name(String value, String what) {
        if (value == null || !Require.NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must match " + Require.NAME.pattern() + " but was '" + value + "'");
        }
        return value;
    }

    private static String encode(String segment) {
        return ServiceHttp.segment(segment);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Waits (for running key tasks) happen off the scheduler, on a small shared pool of daemon threads. */
    private static final class Waiters {
        static final ExecutorService POOL = Executors.newCachedThreadPool(daemon("election-client-wait"));
    }

    private record Listeners(Consumer<Lease> onGained, Runnable onLost, BiConsumer<String, Lease> onKeyGained,
                             Consumer<String> onKeyLost, Consumer<Throwable> onError, Consumer<LeadershipChanged> onEvent) {
        void run(Runnable call, ExecutorService callbacks) {
            try {
                callbacks.execute(() -> {
                    try {
                        call.run();
                    } catch (RuntimeException e) {
                        safeError(e);
                    }
                });
            } catch (RuntimeException rejected) {
                // quit: nobody listens any more
            }
        }

        void tell(CandidateState.Change change) {
            if (change instanceof CandidateState.Change.LeadershipGained gained) {
                onGained.accept(gained.lease());
            } else if (change instanceof CandidateState.Change.LeadershipLost) {
                onLost.run();
            } else if (change instanceof CandidateState.Change.KeyGained gained) {
                onKeyGained.accept(gained.key(), gained.lease());
            } else if (change instanceof CandidateState.Change.KeyLost lost) {
                onKeyLost.accept(lost.key());
            }
        }

        void error(Throwable error, ExecutorService callbacks) {
            run(() -> onError.accept(error), callbacks);
        }

        private void safeError(Throwable e) {
            try {
                onError.accept(e);
            } catch (RuntimeException ignored) {
                // a failing error listener has nowhere else to go
            }
        }
    }

    /** Settings and listeners of a unit; {@link #start()} joins the group in the background. */
    public static final class Builder extends ClientBuilder<Builder> {
        private final List<URI> services;
        private final String group;
        private final String candidateId;
        private Duration ttl = Duration.ofSeconds(2);
        private final Set<String> keys = new LinkedHashSet<>();
        private Map<String, Object> metadata = Map.of();
        private boolean watch = true;
        private int priority;
        private boolean releaseOnShutdown = true;
        private Consumer<Lease> onGained = lease -> { };
        private Runnable onLost = () -> { };
        private BiConsumer<String, Lease> onKeyGained = (key, lease) -> { };
        private Consumer<String> onKeyLost = key -> { };
        private Consumer<Throwable> onError = error -> { };
        private Consumer<LeadershipChanged> onEvent = event -> { };

        private Builder(List<URI> services, String group, String candidateId) {
            services.forEach(service -> Objects.requireNonNull(service, "service"));
            this.services = services;
            this.group = name(group, "group");
            this.candidateId = name(candidateId, "candidateId");
        }

        /**
         * The suite's bearer token every call carries: {@code election:campaign} (narrowed to this group, e.g.
         * {@code election:campaign:billing-*}, is enough) and {@code election:read} for the watch. Null or blank: none.
         */
        private HttpClient client(Duration requestTimeout) {
            return givenHttpClient() != null ? givenHttpClient()
                    : trustingBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(requestTimeout).build();
        }

        private String bearer() {
            return bearerToken();
        }

        @Override
        public Builder token(String token) {
            return super.token(token);
        }

        /** Lease TTL (default 2 s, at least 250 ms); heartbeats go every third of it (msc's interval and waitTimeout). */
        public Builder ttl(Duration ttl) {
            if (ttl.toMillis() < 250) {
                throw new IllegalArgumentException("ttl must be at least 250 ms");
            }
            this.ttl = ttl;
            return this;
        }

        /** Keys this unit can serve from the start (msc {@code addKey}). */
        public Builder keys(Collection<String> keys) {
            keys.forEach(key -> this.keys.add(name(key, "key")));
            return this;
        }

        /** Any JSON-serializable attributes shown in the group's state (at most 16 KiB). */
        public Builder metadata(Map<String, Object> metadata) {
            this.metadata = Map.copyOf(metadata);
            return this;
        }

        /** Whether to follow the group's events to learn of changes at once (default true). */
        public Builder watch(boolean watch) {
            this.watch = watch;
            return this;
        }

        /**
         * Whether a JVM that stops (normally or on SIGTERM, not {@code kill -9}) quits the group first (default true):
         * running {@code doIfMaster} work drains, then the unit resigns, so the next leader takes over in
         * milliseconds instead of waiting out the lease.
         */
        /**
         * 0 to 1000 (default 0): the highest live priority leads the group, the eldest among equals. A candidate that
         * joins above the leader's priority takes the seat by a graceful handover: the leader is told to let go, stops
         * (its {@code doIfMaster} work drains first), confirms, and only then is the preferred candidate elected.
         */
        public Builder priority(int priority) {
            if (priority < 0 || priority > 1000) {
                throw new IllegalArgumentException("priority must be between 0 and 1000");
            }
            this.priority = priority;
            return this;
        }

        public Builder releaseOnShutdown(boolean releaseOnShutdown) {
            this.releaseOnShutdown = releaseOnShutdown;
            return this;
        }

        public Builder onLeadershipGained(Consumer<Lease> listener) {
            this.onGained = Objects.requireNonNull(listener);
            return this;
        }

        public Builder onLeadershipLost(Runnable listener) {
            this.onLost = Objects.requireNonNull(listener);
            return this;
        }

        public Builder onKeyGained(BiConsumer<String, Lease> listener) {
            this.onKeyGained = Objects.requireNonNull(listener);
            return this;
        }

        public Builder onKeyLost(Consumer<String> listener) {
            this.onKeyLost = Objects.requireNonNull(listener);
            return this;
        }

        /** Errors talking to the service (unreachable, refused); the unit keeps trying on its own. */
        public Builder onError(Consumer<Throwable> listener) {
            this.onError = Objects.requireNonNull(listener);
            return this;
        }

        /** Every {@link LeadershipChanged} of the group (needs {@link #watch(boolean)}). */
        public Builder onEvent(Consumer<LeadershipChanged> listener) {
            this.onEvent = Objects.requireNonNull(listener);
            return this;
        }

        /** Creates the unit and joins the group in the background; see {@link ElectionClient#awaitMaster(Duration)}. */
        public ElectionClient start() {
            return new ElectionClient(this).begin();
        }
    }
}
