package io.maestro.support.connections;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Taking a connection of its own from a reactive SQL pool, waiting at most a while, without losing it. Awaiting Mutiny's
 * {@code pool.getConnection()} with a time limit does lose it: the pool still delivers the connection once one is
 * free, to nobody, and that slot is gone for the life of the process. Here a connection that arrives after the wait
 * is closed on arrival.
 */
public final class PoolConnections {
    private PoolConnections() {
    }

    /** A connection within {@code wait}, or empty when the pool had none free by then (or the thread was interrupted). */
    public static Optional<SqlConnection> take(Pool pool, Duration wait) {
        CompletableFuture<io.vertx.sqlclient.SqlConnection> next = pool.getDelegate().getConnection().toCompletionStage().toCompletableFuture();
        try {
            return Optional.of(SqlConnection.newInstance(next.get(wait.toMillis(), TimeUnit.MILLISECONDS)));
        } catch (TimeoutException e) {
            next.thenAccept(io.vertx.sqlclient.SqlConnection::close);
            return Optional.empty();
        } catch (InterruptedException e) {
            next.thenAccept(io.vertx.sqlclient.SqlConnection::close);
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the pool refused a connection: " + e.getCause().getMessage(), e.getCause());
        }
    }
}
