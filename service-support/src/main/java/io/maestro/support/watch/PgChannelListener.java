package io.maestro.support.watch;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * PostgreSQL {@code LISTEN} on one dedicated connection taken from the pool, for as long as the service runs: each
 * {@code NOTIFY} on the channel is handed to {@code onNotification} (with its payload) on a Vert.x event loop. A
 * lost connection is replaced after {@code retry}; {@code onListening} runs each time the LISTEN is (again) in place,
 * so the caller re-reads what may have been notified while it was not.
 */
public final class PgChannelListener implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(PgChannelListener.class);

    private final Vertx vertx;
    private final Pool pool;
    private final String channel;
    private final Consumer<String> onNotification;
    private final Runnable onListening;
    private final Duration retry;
    private volatile boolean closed;
    private volatile SqlConnection connection;

    /** @param channel a plain identifier (it is part of the LISTEN statement) */
    public PgChannelListener(Vertx vertx, Pool pool, String channel, Duration retry, Consumer<String> onNotification, Runnable onListening) {
        if (!channel.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain channel name: " + channel);
        }
        this.vertx = vertx;
        this.pool = pool;
        this.channel = channel;
        this.retry = retry;
        this.onNotification = onNotification;
        this.onListening = onListening;
    }

    /** Starts listening (asynchronously; retried until it works). */
    public PgChannelListener start() {
        connect();
        return this;
    }

    private void connect() {
        if (closed) {
            return;
        }
        pool.getConnection().onSuccess(sql -> {
            PgConnection pg = PgConnection.cast(sql);
            pg.notificationHandler(notification -> {
                if (channel.equals(notification.getChannel())) {
                    onNotification.accept(notification.getPayload());
                }
            });
            pg.closeHandler(v -> {
                // only a connection that was listening is replaced here; a failed attempt retries below
                if (connection == sql) {
                    connection = null;
                    if (!closed) {
                        LOG.warnf("LISTEN %s: the connection closed; listening again in %d ms", channel, retry.toMillis());
                        later();
                    }
                }
            });
            pg.query("LISTEN " + channel).execute().onSuccess(r -> {
                connection = sql;
                if (closed) {
                    sql.close();
                    return;
                }
                onListening.run();
            }).onFailure(e -> {
                LOG.warnf("LISTEN %s failed (%s); retrying in %d ms", channel, e.getMessage(), retry.toMillis());
                sql.close();
                later();
            });
        }).onFailure(e -> {
            LOG.warnf("LISTEN %s: no connection (%s); retrying in %d ms", channel, e.getMessage(), retry.toMillis());
            later();
        });
    }

    private void later() {
        if (!closed) {
            vertx.setTimer(retry.toMillis(), id -> connect());
        }
    }

    /** Whether the LISTEN is in place now. */
    public boolean listening() {
        return connection != null;
    }

    @Override
    public void close() {
        closed = true;
        SqlConnection current = connection;
        if (current != null) {
            current.close();
        }
    }
}
