package io.maestro.support.testing;

import io.quarkus.arc.Arc;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Plain SQL on the service's own database, for tests of a {@code @QuarkusTest}: what a test sets up by hand (a
 * lapsed lease, a spoofed key) and what it checks was written or not. Statements use PostgreSQL's {@code $1}.
 */
public final class TestDatabase {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    public List<Row> query(String sql, Object... args) {
        List<Row> rows = new ArrayList<>();
        pool().preparedQuery(sql).execute(Tuple.from(Arrays.asList(args))).await().atMost(TIMEOUT).forEach(rows::add);
        return rows;
    }

    /** Runs an insert, update or delete; answers how many rows it changed. */
    public int update(String sql, Object... args) {
        return pool().preparedQuery(sql).execute(Tuple.from(Arrays.asList(args))).await().atMost(TIMEOUT).rowCount();
    }

    /**
     * How many connections the pool can hand out now, up to {@code max}: taken one after the other, each within
     * {@code wait}, then all given back. A request that leaves a connection checked out lowers this for good. A
     * connection the pool delivers after the wait is closed on arrival, so asking leaks nothing itself (awaiting the
     * Mutiny {@code getConnection()} with a time limit would: the pool still delivers it, to nobody).
     */
    public int connectionsAvailable(int max, Duration wait) {
        List<SqlConnection> taken = new ArrayList<>();
        try {
            for (int i = 0; i < max; i++) {
                CompletableFuture<SqlConnection> next =
                        pool().getDelegate().getConnection().toCompletionStage().toCompletableFuture();
                try {
                    taken.add(next.get(wait.toMillis(), TimeUnit.MILLISECONDS));
                } catch (TimeoutException e) {
                    next.thenAccept(SqlConnection::close);
                    break;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("the pool refused a connection", e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return taken.size();
        } finally {
            taken.forEach(SqlConnection::close);
        }
    }

    private static Pool pool() {
        return Arc.container().instance(Pool.class).get();
    }
}
