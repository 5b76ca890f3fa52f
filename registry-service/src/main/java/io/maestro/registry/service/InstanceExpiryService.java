package io.maestro.registry.service;

import io.maestro.registry.config.RegistryConfig;
import io.maestro.registry.notifications.KeyspaceListener;
import io.maestro.registry.store.RegistryStore;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns the disappearance of an instance key into an EXPIRED (TTL ran out) or DEREGISTERED (deleted behind the
 * registry's back) change. Driven by the {@code expired}/{@code del} notifications, and by a sweep of the
 * instances whose deadline passed (Redis expires keys lazily and by sampling, and notifications can be lost),
 * so an instance is announced within its TTL plus the sweep interval. The expire script is idempotent: every
 * replica may run it, only the first records a change.
 */
@ApplicationScoped
public class InstanceExpiryService implements KeyspaceListener {
    private static final int SWEEP_BATCH = 512;

    private final RegistryStore store;
    private final Vertx vertx;
    private final long sweepIntervalMs;
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private final AtomicLong expired = new AtomicLong();
    private volatile long timer = -1;

    public InstanceExpiryService(RegistryStore store, Vertx vertx, RegistryConfig config) {
        this.store = store;
        this.vertx = vertx;
        this.sweepIntervalMs = Math.max(10, config.ttl().sweepInterval().toMillis());
    }

    void onStart(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(sweepIntervalMs, id -> sweep());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Instances this replica found gone (each counted once across replicas). */
    public long expiredCount() {
        return expired.get();
    }

    @Override
    public void onInstanceKeyGone(String service, String instanceId) {
        expire(service, instanceId);
    }

    @Override
    public void onSubscribed() {
        sweep();
    }

    private void expire(String service, String instanceId) {
        store.expire(service, instanceId).subscribe().with(changed -> {
            if (changed) {
                expired.incrementAndGet();
                Log.debugf("instance %s of %s is gone", instanceId, service);
            }
        }, failure -> Log.warnf("could not process the expiry of %s/%s: %s (the sweep retries)", service, instanceId, failure.getMessage()));
    }

    /** Processes every instance whose deadline has passed. */
    public void sweep() {
        if (!sweeping.compareAndSet(false, true)) {
            return;
        }
        store.due(SWEEP_BATCH)
                .onItem().transformToMulti(due -> Multi.createFrom().iterable(due))
                .onItem().transformToUniAndConcatenate(d -> store.expire(d.service(), d.instanceId())
                        .invoke(changed -> {
                            if (changed) {
                                expired.incrementAndGet();
                            }
                        })
                        .onFailure().recoverWithItem(false))
                .collect().last()
                .subscribe().with(ok -> sweeping.set(false), failure -> {
                    sweeping.set(false);
                    Log.debugf("expiry sweep failed: %s", failure.getMessage());
                });
    }
}
