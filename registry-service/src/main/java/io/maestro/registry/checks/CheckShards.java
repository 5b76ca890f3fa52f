package io.maestro.registry.checks;

import io.maestro.client.election.ElectionClient;
import io.maestro.client.election.Lease;
import io.maestro.registry.config.RegistryConfig;
import io.maestro.support.registration.ServiceInstance;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Which check shards this replica probes. With coordination {@code election} the replicas are candidates of one
 * election group ({@code registry.checks.election.group}) and each check shard is a key of it: the election service
 * spreads the keys over the live replicas (rendezvous hashing with bounded loads), hands a key over gracefully when a
 * replica joins, and gives a dead replica's keys to the others once its lease ran out. A replica probes a shard only
 * while its lease on it is valid (self-fencing), so no check is probed by two replicas at once.
 */
@ApplicationScoped
public class CheckShards {
    private final RegistryConfig.Checks config;
    private final ServiceInstance instance;
    private final Optional<String> fallbackToken;
    private final Optional<Path> caCertificates;
    private volatile ElectionClient election;
    private volatile boolean single;
    private static final long WARNING_INTERVAL_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
    private final java.util.concurrent.atomic.AtomicBoolean failing = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicLong lastWarning = new java.util.concurrent.atomic.AtomicLong();

    public CheckShards(RegistryConfig config, ServiceInstance instance,
                       @ConfigProperty(name = "maestro.self-registration.token") Optional<String> selfRegistrationToken,
                       @ConfigProperty(name = "maestro.ca-cert") Optional<Path> caCertificates) {
        this.config = config.checks();
        this.instance = instance;
        this.fallbackToken = selfRegistrationToken;
        this.caCertificates = caCertificates;
    }

    /** Starts taking part; {@code gained} and {@code lost} are told of each shard this replica starts and stops holding. */
    synchronized void start(IntConsumer gained, IntConsumer lost) {
        if (config.coordination() == RegistryConfig.Checks.Coordination.SINGLE) {
            single = true;
            IntStream.range(0, config.shards()).forEach(gained);
            return;
        }
        List<String> keys = new ArrayList<>();
        for (int shard = 0; shard < config.shards(); shard++) {
            keys.add(CheckShard.key(shard));
        }
        RegistryConfig.Checks.Election settings = config.election();
        election = ElectionClient.builder(settings.url(), settings.group(), instance.id())
                .token(settings.token().or(() -> fallbackToken).orElse(null))
                .trustCertificates(caCertificates.orElse(null))
                .ttl(settings.lease())
                .keys(keys)
                .onKeyGained((key, lease) -> {
                    if (failing.compareAndSet(true, false)) {
                        Log.infof("health checks: campaigning in %s again", settings.url());
                    }
                    shardOf(key).ifPresent(gained::accept);
                })
                .onKeyLost(key -> shardOf(key).ifPresent(lost::accept))
                .onError(this::failed)
                .start();
        Log.infof("health checks: campaigning for %d check shards in group %s of %s", config.shards(), settings.group(), settings.url());
    }

    /** Logs the first failure of a series, then at most one a minute (the client retries every 100 ms at first). */
    private void failed(Throwable e) {
        long now = System.nanoTime();
        long last = lastWarning.get();
        if (!failing.getAndSet(true) || now - last > WARNING_INTERVAL_NANOS) {
            lastWarning.set(now);
            Log.warnf("health checks: campaigning in %s for group %s failed, retrying (this replica probes no checks meanwhile): %s",
                    config.election().url(), config.election().group(), e.getMessage());
        }
    }

    /** Whether this replica may probe the checks of {@code shard} now: it holds the shard and its lease has not run out. */
    boolean holds(int shard) {
        if (single) {
            return true;
        }
        ElectionClient client = election;
        return client != null && client.lease(CheckShard.key(shard)).map(Lease::isValid).orElse(false);
    }

    /** The shards held now. */
    List<Integer> held() {
        return IntStream.range(0, config.shards()).filter(this::holds).boxed().toList();
    }

    /** Lets go of every shard at once (the others take them over without waiting for the lease). */
    synchronized void stop() {
        if (election != null) {
            election.quit();
            election = null;
        }
        single = false;
    }

    private static Optional<Integer> shardOf(String key) {
        if (!key.startsWith("checks-")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Integer.parseInt(key.substring("checks-".length())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
