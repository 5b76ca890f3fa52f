package io.maestro.support.testing;

import io.maestro.support.connections.PoolConnections;
import io.quarkus.arc.Arc;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

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
        List<io.vertx.mutiny.sqlclient.SqlConnection> taken = new ArrayList<>();
        try {
            for (int i = 0; i < max; i++) {
                Optional<io.vertx.mutiny.sqlclient.SqlConnection> next = PoolConnections.take(pool(), wait);
                if (next.isEmpty()) {
                    break;
                }
                taken.add(next.get());
            }
            return taken.size();
        } finally {
            taken.forEach(connection -> connection.close().subscribe().with(ok -> { }, failure -> { }));
        }
    }

    private static Pool pool() {
        return Arc.container().instance(Pool.class).get();
    }
}
