package io.maestro.inventory.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.events.EventCodec;
import io.maestro.events.InventoryMutation;
import io.maestro.events.Topics;
import io.maestro.inventory.config.InventoryConfig;
import io.maestro.inventory.repository.OutboxSignal;
import io.maestro.support.messaging.EventMessages;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes outbox rows to {@link Topics#INVENTORY_MUTATIONS}, keyed by entity id, in id order.
 *
 * <p>Only the replica holding a session-level PostgreSQL advisory lock publishes, so with several replicas
 * each row is sent by one of them, in order. A row is marked published only after Kafka acknowledged it
 * and every row before it: while Kafka is down nothing is marked and the pass is retried later; a crash
 * between the acknowledgement and the mark repeats those rows (at least once; {@code eventId} identifies them).
 * Per-entity order holds because every mutation of an entity locks its row, so a later mutation's outbox
 * row is inserted (and gets a higher id) only after the earlier one committed.
 */
@ApplicationScoped
public class OutboxRelay {
    /** Advisory lock key of the relay ("inventory outbox"). */
    static final long LOCK_KEY = 0x1A7E_0B0CL;
    private static final Duration DB_TIMEOUT = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    @Inject
    InventoryConfig config;

    @Inject
    OutboxSignal signal;

    @Inject
    @Channel(Topics.INVENTORY_MUTATIONS)
    @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 2048)
    MutinyEmitter<String> emitter;

    private volatile boolean running;
    private Thread thread;
    private final String source = EventMessages.sourceOf("inventory-service");

    void start(@Observes StartupEvent event) {
        if (!config.outbox().enabled()) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void loop() {
        while (running) {
            int published = 0;
            try {
                published = relayOnce();
            } catch (RuntimeException e) {
                if (running) {
                    Log.warnf("outbox relay pass failed, retrying in %s: %s", config.outbox().pollInterval(), e.toString());
                }
            }
            if (published == 0) {
                try {
                    signal.await(config.outbox().pollInterval());
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** One pass: publishes up to a batch of pending rows if this replica gets the lock; returns how many. */
    int relayOnce() {
        SqlConnection connection = pool.getConnection().await().atMost(DB_TIMEOUT);
        try {
            boolean locked = connection.preparedQuery("select pg_try_advisory_lock($1)").execute(Tuple.of(LOCK_KEY))
                    .await().atMost(DB_TIMEOUT).iterator().next().getBoolean(0);
            if (!locked) {
                return 0;
            }
            try {
                List<Row> rows = new ArrayList<>();
                connection.preparedQuery("select " + HistoryService.COLUMNS + " from outbox where published_at is null order by id limit $1")
                        .execute(Tuple.of(config.outbox().batchSize())).await().atMost(DB_TIMEOUT).forEach(rows::add);
                // all sends of the batch go out at once (the producer keeps their order); rows are marked up to
                // the first failure, so what follows a failure is retried on the next pass
                List<CompletableFuture<Void>> sends = new ArrayList<>();
                for (Row row : rows) {
                    sends.add(emitter.sendMessage(EventMessages.of(mutation(row), source)).subscribeAsCompletionStage());
                }
                List<Long> published = new ArrayList<>();
                RuntimeException failure = null;
                long deadline = System.nanoTime() + config.outbox().sendTimeout().toNanos();
                for (int i = 0; i < rows.size(); i++) {
                    try {
                        sends.get(i).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                        published.add(rows.get(i).getLong("id"));
                    } catch (ExecutionException | TimeoutException e) {
                        failure = new IllegalStateException("Kafka did not acknowledge outbox row " + rows.get(i).getLong("id") + ": " + e.getMessage(), e);
                        break;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        failure = new IllegalStateException("interrupted", e);
                        break;
                    }
                }
                if (!published.isEmpty()) {
                    connection.preparedQuery("update outbox set published_at = now() where id = any($1)")
                            .execute(Tuple.of(published.toArray(new Long[0]))).await().atMost(DB_TIMEOUT);
                }
                if (failure != null) {
                    throw failure;
                }
                return rows.size();
            } finally {
                connection.preparedQuery("select pg_advisory_unlock($1)").execute(Tuple.of(LOCK_KEY)).await().atMost(DB_TIMEOUT);
            }
        } finally {
            connection.close().await().atMost(DB_TIMEOUT);
        }
    }

    static InventoryMutation mutation(Row row) {
        return new InventoryMutation(
                row.getUUID("event_id").toString(),
                row.getOffsetDateTime("occurred_at").toInstant(),
                row.getUUID("entity_id").toString(),
                row.getString("entity_name"),
                row.getLong("version"),
                InventoryMutation.Op.valueOf(row.getString("op")),
                node(row.getJsonObject("before")),
                node(row.getJsonObject("after")),
                row.getString("actor"));
    }

    private static JsonNode node(JsonObject json) {
        if (json == null) {
            return null;
        }
        try {
            return EventCodec.mapper().readTree(json.encode());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

}
