package io.maestro.registry.checks;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectReader;
import io.maestro.events.EventCodec;
import io.maestro.registry.config.RegistryConfig;
import io.maestro.registry.store.RegistryStore;
import io.maestro.registry.store.RegistryStore.StoredChecks;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the health checks of the check shards this replica holds ({@link CheckShards}): re-reads them every
 * {@code registry.checks.refresh-interval}, probes each once per interval ({@link Prober}), and records a result in
 * Redis only when a check's status changes (or, for an instance that deregisters after being critical, while it is
 * critical), so a steady fleet costs Redis nothing.
 */
@ApplicationScoped
public class HealthCheckRunner {
    private static final ObjectReader CHECKS = EventCodec.mapper().readerFor(new TypeReference<List<HealthCheck>>() {
    });

    private final RegistryStore store;
    private final Prober prober;
    private final CheckShards shards;
    private final RegistryConfig.Checks config;
    private final Vertx vertx;
    private final Counter passing;
    private final Counter critical;
    private final Counter skipped;
    /** svc/id/position -> the check being run. */
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final AtomicLong rateWindow = new AtomicLong();
    private final AtomicLong rateCount = new AtomicLong();
    private volatile long refreshTimer = -1;

    public HealthCheckRunner(RegistryStore store, Prober prober, CheckShards shards, RegistryConfig config,
                             io.vertx.mutiny.core.Vertx vertx, MeterRegistry meters) {
        this.store = store;
        this.prober = prober;
        this.shards = shards;
        this.config = config.checks();
        this.vertx = vertx.getDelegate();
        this.passing = Counter.builder("maestro.registry.check.probes").tag("result", "passing")
                .description("Health check probes this replica ran").register(meters);
        this.critical = Counter.builder("maestro.registry.check.probes").tag("result", "critical")
                .description("Health check probes this replica ran").register(meters);
        this.skipped = Counter.builder("maestro.registry.check.skipped")
                .description("Probes not run for registry.checks.max-probes-per-second").register(meters);
    }

    /** One check of one instance, probed by this replica while it holds the check's shard. */
    private final class Running {
        final int shard;
        final String service;
        final String instanceId;
        final int position;
        final HealthCheck check;
        final String checksJson;
        final long deregisterAfterMillis;
        volatile String lastStatus;
        volatile long timer = -1;
        volatile boolean stopped;

        Running(int shard, StoredChecks stored, int position, HealthCheck check) {
            this.shard = shard;
            this.service = stored.service();
            this.instanceId = stored.instanceId();
            this.position = position;
            this.check = check;
            this.checksJson = stored.checksJson();
            this.deregisterAfterMillis = stored.deregisterAfterMillis();
            this.lastStatus = position < stored.statuses().size() ? stored.statuses().get(position) : "unknown";
        }

        String key() {
            return service + "/" + instanceId + "/" + position;
        }

        void schedule(long delayMillis) {
            if (!stopped) {
                timer = vertx.setTimer(Math.max(1, delayMillis), id -> probe(this));
            }
        }

        void stop() {
            stopped = true;
            vertx.cancelTimer(timer);
        }
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.enabled()) {
            Log.info("health checks: not run by this replica (registry.checks.enabled=false)");
            return;
        }
        shards.start(this::gained, this::lost);
        refreshTimer = vertx.setPeriodic(config.refreshInterval().toMillis(), id -> refresh());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (refreshTimer >= 0) {
            vertx.cancelTimer(refreshTimer);
        }
        running.values().forEach(Running::stop);
        running.clear();
        shards.stop();
    }

    /** How many checks this replica is running now. */
    public int runningChecks() {
        return running.size();
    }

    private void gained(int shard) {
        load(shard);
    }

    private void lost(int shard) {
        running.values().removeIf(r -> {
            if (r.shard == shard) {
                r.stop();
                return true;
            }
            return false;
        });
    }

    private void refresh() {
        for (int shard : shards.held()) {
            load(shard);
        }
    }

    private void load(int shard) {
        store.checksIn(shard).subscribe().with(found -> reconcile(shard, found),
                e -> Log.warnf("health checks: could not read the checks of shard %d: %s", shard, e.getMessage()));
    }

    /** Starts the checks new in {@code shard}, restarts the changed ones, stops the removed ones. */
    private void reconcile(int shard, List<StoredChecks> found) {
        if (!shards.holds(shard)) {
            lost(shard);
            return;
        }
        Set<String> present = new HashSet<>();
        for (StoredChecks stored : found) {
            List<HealthCheck> checks;
            try {
                checks = CHECKS.readValue(stored.checksJson());
            } catch (IOException e) {
                Log.warnf("health checks: unreadable checks of %s/%s: %s", stored.service(), stored.instanceId(), e.getMessage());
                continue;
            }
            for (int position = 0; position < checks.size(); position++) {
                Running candidate = new Running(shard, stored, position, checks.get(position));
                present.add(candidate.key());
                Running current = running.get(candidate.key());
                if (current != null && current.checksJson.equals(candidate.checksJson)
                        && current.deregisterAfterMillis == candidate.deregisterAfterMillis) {
                    continue;
                }
                if (current != null) {
                    current.stop();
                }
                running.put(candidate.key(), candidate);
                // spread first probes over the refresh interval, so a thousand new checks are not probed in one burst
                candidate.schedule(ThreadLocalRandom.current().nextLong(Math.min(candidate.check.intervalMillis(),
                        config.refreshInterval().toMillis()) + 1));
            }
        }
        running.values().removeIf(r -> {
            if (r.shard == shard && !present.contains(r.key())) {
                r.stop();
                return true;
            }
            return false;
        });
    }

    private void probe(Running r) {
        if (r.stopped) {
            return;
        }
        if (!shards.holds(r.shard)) {
            lost(r.shard);
            return;
        }
        long started = System.currentTimeMillis();
        if (!permit(started)) {
            skipped.increment();
            r.schedule(r.check.intervalMillis());
            return;
        }
        prober.probe(r.check).onComplete(done -> {
            Prober.Result result = done.result();
            (result.passing() ? passing : critical).increment();
            record(r, result);
            r.schedule(started + r.check.intervalMillis() - System.currentTimeMillis());
        });
    }

    /** Writes a result that changes something (the status, or the time an instance has been critical for). */
    private void record(Running r, Prober.Result result) {
        String status = result.passing() ? "passing" : "critical";
        boolean deregistering = !result.passing() && r.deregisterAfterMillis > 0;
        if (r.stopped || (status.equals(r.lastStatus) && !deregistering) || !shards.holds(r.shard)) {
            return;
        }
        store.checkResult(r.service, r.instanceId, r.position, result.passing(), result.output(), r.checksJson)
                .subscribe().with(outcome -> {
                    if (!outcome.applied() || outcome.deregistered()) {
                        running.values().removeIf(other -> {
                            boolean same = other.service.equals(r.service) && other.instanceId.equals(r.instanceId);
                            if (same) {
                                other.stop();
                            }
                            return same;
                        });
                    } else {
                        r.lastStatus = status;
                    }
                }, e -> Log.warnf("health checks: could not record a result of %s: %s", r.key(), e.getMessage()));
    }

    /** At most {@code registry.checks.max-probes-per-second} probes start in any second. */
    private boolean permit(long nowMillis) {
        long second = nowMillis / 1000;
        if (rateWindow.get() != second) {
            rateWindow.set(second);
            rateCount.set(0);
        }
        return rateCount.incrementAndGet() <= config.maxProbesPerSecond();
    }
}
