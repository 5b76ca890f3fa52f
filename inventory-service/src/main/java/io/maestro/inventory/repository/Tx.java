package io.maestro.inventory.repository;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One open database transaction, used from a worker thread: each call waits for its statement. Blocking
 * style keeps multi-step mutations (lock, check, write, outbox) readable; it never runs on an event loop.
 */
public final class Tx {
    static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(30);
    private final SqlConnection connection;

    Tx(SqlConnection connection) {
        this.connection = connection;
    }

    public RowSet<Row> query(String sql, Object... args) {
        return connection.preparedQuery(sql).execute(tuple(args)).await().atMost(STATEMENT_TIMEOUT);
    }

    public List<Row> rows(String sql, Object... args) {
        List<Row> rows = new ArrayList<>();
        query(sql, args).forEach(rows::add);
        return rows;
    }

    public Optional<Row> first(String sql, Object... args) {
        var iterator = query(sql, args).iterator();
        return iterator.hasNext() ? Optional.of(iterator.next()) : Optional.empty();
    }

    public Row one(String sql, Object... args) {
        return first(sql, args).orElseThrow(() -> new IllegalStateException("no row from: " + sql));
    }


    static Tuple tuple(Object... args) {
        return Tuple.from(new ArrayList<>(Arrays.asList(args)));
    }
}
