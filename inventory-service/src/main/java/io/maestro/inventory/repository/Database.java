package io.maestro.inventory.repository;

import io.maestro.support.problem.ProblemException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Transactions over the reactive pool for worker-thread code, with PostgreSQL errors turned into problems. */
@ApplicationScoped
public class Database {
    private static final int ATTEMPTS = 3;

    private final Pool pool;

    public Database(Pool pool) {
        this.pool = pool;
    }

    /** Runs {@code work} in one transaction; retried on deadlock or serialization failure, so it must only touch the database. */
    public <T> T inTransaction(Function<Tx, T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return attempt(work);
            } catch (PgException e) {
                if (attempt < ATTEMPTS && ("40P01".equals(e.getSqlState()) || "40001".equals(e.getSqlState()))) {
                    continue;
                }
                throw translate(e);
            }
        }
    }

    /** One statement outside any explicit transaction. */
    public List<Row> rows(String sql, Object... args) {
        try {
            List<Row> rows = new ArrayList<>();
            pool.preparedQuery(sql).execute(Tx.tuple(args)).await().atMost(Tx.STATEMENT_TIMEOUT).forEach(rows::add);
            return rows;
        } catch (PgException e) {
            throw translate(e);
        }
    }

    public Pool pool() {
        return pool;
    }

    private <T> T attempt(Function<Tx, T> work) {
        SqlConnection connection = pool.getConnection().await().atMost(Tx.STATEMENT_TIMEOUT);
        try {
            Transaction transaction = connection.begin().await().atMost(Tx.STATEMENT_TIMEOUT);
            Tx tx = new Tx(connection);
            T result;
            try {
                result = work.apply(tx);
            } catch (RuntimeException e) {
                rollbackQuietly(transaction);
                throw e;
            }
            transaction.commit().await().atMost(Tx.STATEMENT_TIMEOUT);
            return result;
        } finally {
            connection.close().await().atMost(Tx.STATEMENT_TIMEOUT);
        }
    }

    private static void rollbackQuietly(Transaction transaction) {
        try {
            transaction.rollback().await().atMost(Tx.STATEMENT_TIMEOUT);
        } catch (RuntimeException ignored) {
            // the connection is closed next; PostgreSQL rolls back what is left
        }
    }

    /** Constraint violations are the caller's conflicts; the constraint name says which rule. */
    static RuntimeException translate(PgException e) {
        String constraint = e.getConstraint() == null ? "" : e.getConstraint();
        return switch (e.getSqlState()) {
            case "23505" -> ProblemException.conflict(uniqueRule(constraint));
            case "23503" -> ProblemException.conflict(referenceRule(constraint));
            case "2201B" -> ProblemException.invalid("q", "invalid regular expression: " + e.getErrorMessage());
            default -> e;
        };
    }

    private static String uniqueRule(String constraint) {
        return switch (constraint) {
            case "entity_name_key" -> "an entity with this name exists already";
            case "rack_unit_pkey" -> "a rack unit in the requested position is taken";
            case "containment_pkey" -> "the child is contained in another entity already (one parent per entity)";
            case "connection_end_pkey" -> "a port is in another connection already";
            case "pool_member_one_exclusive" -> "the entity is in another exclusive pool already";
            case "pool_member_pkey" -> "the entity is in this pool already";
            case "ip_range_name_key" -> "an IP range with this name exists already";
            default -> "unique constraint " + constraint + " violated";
        };
    }

    private static String referenceRule(String constraint) {
        return switch (constraint) {
            case "containment_parent_id_fkey" -> "the entity contains other entities; remove its contents first";
            case "attribute_ref_id_fkey" -> "another entity's attribute refers to this entity; delete that attribute first";
            default -> "reference " + constraint + " violated";
        };
    }
}
