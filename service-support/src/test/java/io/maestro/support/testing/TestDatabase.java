package io.maestro.support.testing;

import io.quarkus.arc.Arc;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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

    private static Pool pool() {
        return Arc.container().instance(Pool.class).get();
    }
}
