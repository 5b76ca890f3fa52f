package io.maestro.support.connections;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The readiness of one connection (Kafka, Redis or PostgreSQL), the same for every service: UP with
 * {@code {"<engine>": "connected"}}, or DOWN with {@code {"<engine>": "<setting to fix>: <what went wrong>"}}
 * ({@link ConnectionProblems}). Readiness is polled, so a probe runs at most once per {@code fresh} interval and
 * never for longer than {@code timeout}; concurrent polls share it. A change of state is logged once, as the same
 * sentence, without a stack trace.
 *
 * <p>Not a bean itself: {@link KafkaReadiness}, {@link RedisReadiness} and {@link PostgresReadiness} wire it with the
 * service's own client, e.g. {@code ConnectionReadiness.of(Engine.REDIS, () -> redis.execute("PING"))}.
 */
public final class ConnectionReadiness {
    private static final Logger LOG = Logger.getLogger(ConnectionReadiness.class);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration DEFAULT_FRESH = Duration.ofSeconds(2);

    private final Engine engine;
    private final Supplier<Uni<?>> probe;
    private final ConnectionSettings settings;
    private final Duration timeout;
    private final long freshNanos;
    private final AtomicReference<Attempt> last = new AtomicReference<>();
    private volatile String reported = "";

    private record Attempt(long startedNanos, Uni<HealthCheckResponse> response) {
    }

    public ConnectionReadiness(Engine engine, Supplier<Uni<?>> probe, ConnectionSettings settings, Duration timeout, Duration fresh) {
        this.engine = Objects.requireNonNull(engine);
        this.probe = Objects.requireNonNull(probe);
        this.settings = Objects.requireNonNull(settings);
        this.timeout = timeout;
        this.freshNanos = fresh.toNanos();
    }

    /** With the application's configuration, a 3 s timeout and a result kept 2 s. */
    public static ConnectionReadiness of(Engine engine, Supplier<Uni<?>> probe) {
        return new ConnectionReadiness(engine, probe, ConnectionSettings.fromConfig(), DEFAULT_TIMEOUT, DEFAULT_FRESH);
    }

    public Engine engine() {
        return engine;
    }

    /** The check's name in {@code /q/health/ready}. */
    public String name() {
        return engine.title() + " connection";
    }

    /** The response of the latest probe, probing again when it is older than the fresh interval. */
    public Uni<HealthCheckResponse> check() {
        long now = System.nanoTime();
        Attempt current = last.get();
        if (current == null || now - current.startedNanos() > freshNanos) {
            Attempt next = new Attempt(now, probeOnce().memoize().indefinitely());
            current = last.compareAndSet(current, next) ? next : last.get();
        }
        return current.response();
    }

    private Uni<HealthCheckResponse> probeOnce() {
        return Uni.createFrom().deferred(probe)
                .ifNoItem().after(timeout).failWith(() -> new TimeoutException("no answer within " + timeout.toSeconds() + " s"))
                .map(ignored -> up())
                // explaining may look closer (a PostgreSQL TLS handshake), so never on the event loop
                .onFailure().recoverWithUni(failure -> Uni.createFrom().item(() -> down(failure))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()));
    }

    private HealthCheckResponse up() {
        if (!reported.isEmpty()) {
            LOG.infof("%s: connected again", name());
            reported = "";
        }
        return HealthCheckResponse.named(name()).up().withData(engine.key(), "connected").build();
    }

    private HealthCheckResponse down(Throwable failure) {
        String problem = ConnectionProblems.explain(engine, failure, settings);
        if (!problem.equals(reported)) {
            // the sentence alone: the exception may quote configuration, and a trace every poll says nothing new
            LOG.warnf("%s is not ready: %s", name(), problem);
            reported = problem;
        }
        return HealthCheckResponse.named(name()).down().withData(engine.key(), problem).build();
    }
}
