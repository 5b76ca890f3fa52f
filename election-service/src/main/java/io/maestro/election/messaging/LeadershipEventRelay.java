package io.maestro.election.messaging;

import io.maestro.election.config.ElectionConfig;
import io.maestro.support.messaging.EventMessages;
import io.quarkus.logging.Log;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.XReadArgs;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.mutiny.redis.client.Response;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Copies the event log to Kafka ({@code maestro.election.leadership}, key {@code group} or {@code group/key}).
 *
 * <p>The transitions write their events to the log atomically with the change itself (a transactional outbox),
 * so no event is lost when a replica dies. Exactly one replica relays at a time: it holds a Redis lease,
 * reads from the cursor, sends a batch in log order through one producer, waits for the acks and only then moves
 * the cursor (compare-and-set on its lease). So records are neither duplicated nor reordered per key while the
 * relay runs; after a relay dies, its successor resends the unacknowledged batch (at-least-once, same event ids),
 * having first waited out the Kafka delivery timeout so no late record of the old relay lands after its own.
 */
@ApplicationScoped
public class LeadershipEventRelay {
    public static final String CHANNEL = "leadership-changes";
    static final String LEASE = "maestro:election:relay:lease";
    static final String CURSOR = "maestro:election:relay:cursor";
    static final String CLEAN = "maestro:election:relay:clean";

    private static final String ACQUIRE = """
            if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
              local clean = redis.call('GET', KEYS[3])
              redis.call('DEL', KEYS[3])
              if clean or redis.call('EXISTS', KEYS[2]) == 0 then return 2 end
              return 1
            end
            return 0""";
    private static final String RENEW = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return 0""";
    private static final String ADVANCE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[2], ARGV[2]) return 1 end
            return 0""";
    private static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              redis.call('DEL', KEYS[1])
              redis.call('SET', KEYS[3], '1')
              return 1
            end
            return 0""";

    private final RedisDataSource redis;
    private final MutinyEmitter<String> emitter;
    private final ElectionConfig config;
    private final String source;
    private final String replica = UUID.randomUUID().toString();
    private ScheduledExecutorService leaseTimer;
    private volatile boolean running;
    private volatile boolean holding;
    private volatile long sendAfterNanos;
    private Thread thread;

    public LeadershipEventRelay(RedisDataSource redis, @Channel(CHANNEL) MutinyEmitter<String> emitter, ElectionConfig config,
                                @ConfigProperty(name = "quarkus.application.name") String application) {
        this.redis = redis;
        this.emitter = emitter;
        this.config = config;
        this.source = EventMessages.sourceOf(application);
    }

    /** Whether this replica is the relay right now. */
    public boolean isRelaying() {
        return holding;
    }

    void start(@Observes StartupEvent startup) {
        if (!config.relay().enabled()) {
            Log.info("event relay to Kafka is disabled on this replica (election.relay.enabled=false)");
            return;
        }
        running = true;
        leaseTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "election-relay-lease");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, config.relay().leaseTtl().toMillis() / 3);
        leaseTimer.scheduleWithFixedDelay(this::keepLease, 0, period, TimeUnit.MILLISECONDS);
        thread = new Thread(this::relay, "election-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (!running) {
            return;
        }
        running = false;
        leaseTimer.shutdownNow();
        if (thread != null) {
            try { // the loop ends after its current read or batch; no batch is cut off halfway

                thread.join(config.relay().deliveryTimeout().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (holding && (thread == null || !thread.isAlive())) {
            try {
                script(RELEASE, replica);
            } catch (RuntimeException e) {
                Log.debugf("relay: releasing the lease failed: %s", e.getMessage());
            }
        }
        holding = false;
    }

    private void keepLease() {
        String ttl = Long.toString(config.relay().leaseTtl().toMillis());
        try {
            if (holding) {
                if (script(RENEW, replica, ttl).toLong() == 0) {
                    holding = false;
                    Log.warn("relay: lost the relay lease (it ran out); another replica relays now");
                }
                return;
            }
            long acquired = script(ACQUIRE, replica, ttl).toLong();
            if (acquired > 0) {
                sendAfterNanos = System.nanoTime() + (acquired == 1 ? config.relay().deliveryTimeout().toNanos() : 0);
                holding = true;
                Log.infof("relay: this replica relays the election events to Kafka%s",
                        acquired == 1 ? " (after the delivery timeout: the previous relay did not stop cleanly)" : "");
            }
        } catch (RuntimeException e) {
            Log.debugf("relay: lease check failed: %s", e.getMessage());
        }
    }

    private void relay() {
        while (running) {
            try {
                if (!holding || System.nanoTime() < sendAfterNanos) {
                    Thread.sleep(50);
                    continue;
                }
                String cursor = redis.value(String.class).get(CURSOR);
                List<StreamMessage<String, String, String>> batch = redis.stream(String.class).xread(LeadershipEventLog.STREAM,
                        cursor == null ? "0-0" : cursor, new XReadArgs().block(Duration.ofMillis(500)).count(config.relay().batch()));
                if (batch.isEmpty() || !holding) {
                    continue;
                }
                List<Uni<Void>> sends = new ArrayList<>(batch.size());
                for (StreamMessage<String, String, String> message : batch) {
                    LeadershipEventLog.Entry entry = LeadershipEventLog.entry(message.id(), message.payload());
                    sends.add(emitter.sendMessage(EventMessages.of(entry.event(), source)));
                }
                Uni.join().all(sends).andFailFast().await().atMost(config.relay().deliveryTimeout().plusSeconds(5));
                String last = batch.get(batch.size() - 1).id();
                if (script(ADVANCE, replica, last).toLong() == 0) {
                    holding = false;
                    Log.warn("relay: lease lost while sending; the next relay resends from the last acknowledged event");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                Log.warnf("relay: sending election events to Kafka failed (%s); retrying from the last acknowledged event", e.getMessage());
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private Response script(String script, String... args) {
        String[] command = new String[5 + args.length];
        command[0] = script;
        command[1] = "3";
        command[2] = LEASE;
        command[3] = CURSOR;
        command[4] = CLEAN;
        System.arraycopy(args, 0, command, 5, args.length);
        return redis.execute("EVAL", command);
    }
}
