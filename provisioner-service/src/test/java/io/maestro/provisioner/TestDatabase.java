package io.maestro.provisioner;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Plain SQL for tests: what a test sets up by hand (a lapsed lease, a spoofed key) and what it checks was written. */
@ApplicationScoped
public class TestDatabase {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Pool pool;

    public TestDatabase(Pool pool) {
        this.pool = pool;
    }

    public List<Row> query(String sql, Object... args) {
        List<Row> rows = new ArrayList<>();
        pool.preparedQuery(sql).execute(Tuple.from(Arrays.asList(args))).await().atMost(TIMEOUT).forEach(rows::add);
        return rows;
    }

    public int update(String sql, Object... args) {
        return pool.preparedQuery(sql).execute(Tuple.from(Arrays.asList(args))).await().atMost(TIMEOUT).rowCount();
    }
}
