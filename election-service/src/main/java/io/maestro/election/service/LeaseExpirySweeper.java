package io.maestro.election.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.election.config.ElectionConfig;
import io.maestro.election.store.Deadlines;
import io.maestro.election.store.ElectionScripts;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Ends leases on time. One thread per replica runs the sweep script exactly when the earliest deadline of any
 * group comes (Redis tells it how far away that is, so the replica's own clock offset does not matter), and at
 * least every {@code election.sweep.max-interval}. Transitions made through this replica and keyspace
 * {@code expired} notifications of lease keys wake it earlier. The sweep settles each due group in one
 * script: expired candidates leave, the next holders are elected in the same step.
 */
@ApplicationScoped
public class LeaseExpirySweeper implements Deadlines {
    private final ElectionScripts scripts;
    private final ElectionConfig config;
    private final ObjectMapper json;
    private final AtomicLong hintedNanos = new AtomicLong(Long.MAX_VALUE);
    private volatile boolean running;
    private long lastFailureLog = System.nanoTime() - Duration.ofMinutes(1).toNanos();
    private Thread thread;

    public LeaseExpirySweeper(ElectionScripts scripts, ElectionConfig config, ObjectMapper json) {
        this.scripts = scripts;
        this.config = config;
        this.json = json;
    }

    void start(@Observes StartupEvent startup) {
        running = true;
        thread = new Thread(this::run, "election-sweeper");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        running = false;
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    /** A deadline of some group comes in {@code millis}: sweep then (plus 1 ms, so Redis' clock has passed it). */
    @Override
    public void dueIn(long millis) {
        long at = System.nanoTime() + Duration.ofMillis(Math.max(0, millis) + 1).toNanos();
        if (hintedNanos.accumulateAndGet(at, Math::min) == at && thread != null) {
            LockSupport.unpark(thread);
        }
    }

    /** Sweep now (a lease key expired). */
    public void wake() {
        hintedNanos.set(System.nanoTime());
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }

    private void run() {
        long maxInterval = config.sweep().maxInterval().toNanos();
        long next = System.nanoTime();
        while (running) {
            long now = System.nanoTime();
            long wakeAt = Math.min(next, hintedNanos.get());
            if (wakeAt - now > 0) {
                LockSupport.parkNanos(wakeAt - now);
                continue;
            }
            hintedNanos.set(Long.MAX_VALUE);
            long untilNext = sweep();
            next = System.nanoTime() + (untilNext < 0 ? maxInterval : Math.min(maxInterval, Duration.ofMillis(untilNext + 1).toNanos()));
        }
    }

    /** Runs the sweep script until no due group is left; returns the millis until the next deadline (-1: none known). */
    private long sweep() {
        try {
            int batch = config.sweep().batch();
            while (true) {
                JsonNode result = json.readTree(scripts.run(ElectionScripts.Script.SWEEP, "", null, List.of(Integer.toString(batch)))
                        .await().atMost(Duration.ofSeconds(10)));
                JsonNode next = result.get("next");
                long untilNext = next == null ? -1 : Math.max(0, next.asLong());
                if (result.get("swept").asInt() < batch || untilNext > 0) {
                    return untilNext;
                }
            }
        } catch (Exception e) {
            long now = System.nanoTime();
            if (running && now - lastFailureLog > Duration.ofSeconds(10).toNanos()) {
                lastFailureLog = now;
                Log.warnf("sweep failed (%s); retrying every %s ms (logged every 10 s at most)", e.getMessage(),
                        config.sweep().maxInterval().toMillis());
            }
            return -1;
        }
    }
}
