package io.maestro.provisioner.repository;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Blocking access to PostgreSQL through the reactive pool, for code that runs on worker threads (drivers block
 * anyway). Statements are plain SQL: claims, leases and upserts are single statements that way.
 */
@ApplicationScoped
public class Sql {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Pool pool;

    public Sql(Pool pool) {
        this.pool = pool;
    }

    /** The transaction this thread runs in ({@link #inTransaction}), if any: every statement of the thread joins it. */
    private final ThreadLocal<SqlConnection> current = new ThreadLocal<>();

    public List<Row> query(String sql, Object... args) {
        return query(client(), sql, args);
    }

    public int update(String sql, Object... args) {
        return client().preparedQuery(sql).execute(tuple(args)).await().atMost(TIMEOUT).rowCount();
    }

    /**
     * Runs {@code work} in one transaction, committed when it returns and rolled back when it throws. Every statement
     * the thread runs meanwhile, through this class, is part of it (so a state change and the event that announces it
     * commit together); a nested call joins the outer transaction.
     */
    public <T> T inTransaction(java.util.function.Function<SqlClient, T> work) {
        SqlConnection joined = current.get();
        if (joined != null) {
            return work.apply(joined);
        }
        SqlConnection connection = pool.getConnection().await().atMost(TIMEOUT);
        current.set(connection);
        try {
            Transaction transaction = connection.begin().await().atMost(TIMEOUT);
            try {
                T result = work.apply(connection);
                transaction.commit().await().atMost(TIMEOUT);
                return result;
            } catch (RuntimeException e) {
                transaction.rollback().await().atMost(TIMEOUT);
                throw e;
            }
        } finally {
            current.remove();
            connection.close().await().atMost(TIMEOUT);
        }
    }

    /** {@link #inTransaction(java.util.function.Function)} for work without a result. */
    public void inTransaction(Runnable work) {
        inTransaction(client -> {
            work.run();
            return null;
        });
    }

    private SqlClient client() {
        SqlConnection joined = current.get();
        return joined != null ? joined : pool;
    }

    public static List<Row> query(SqlClient client, String sql, Object... args) {
        List<Row> rows = new ArrayList<>();
        client.preparedQuery(sql).execute(tuple(args)).await().atMost(TIMEOUT).forEach(rows::add);
        return rows;
    }

    private static Tuple tuple(Object... args) {
        Tuple tuple = Tuple.tuple();
        for (Object arg : args) {
            tuple.addValue(arg);
        }
        return tuple;
    }
}
