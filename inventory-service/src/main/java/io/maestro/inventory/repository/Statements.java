package io.maestro.inventory.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.List;
import java.util.Optional;

/**
 * Native SQL through the caller's Hibernate Reactive session, so each statement joins the session's transaction:
 * a mutation, its outbox row and its history commit together. Used where SQL is clearer or faster than entities:
 * the expression compiler's one statement per query, set-based bulk inserts, locks, recursive containment. Parameters
 * are {@code ?1, ?2, ...}; cast jsonb, inet and timestamptz results to text in the statement.
 */
@ApplicationScoped
public class Statements {

    public Uni<List<Row>> rows(String sql, Object... args) {
        return Panache.getSession().chain(session -> bind(session.createNativeQuery(sql), args).getResultList())
                .map(rows -> rows.stream().map(Row::of).toList());
    }

    public Uni<Optional<Row>> first(String sql, Object... args) {
        return rows(sql, args).map(rows -> rows.stream().findFirst());
    }

    public Uni<Row> one(String sql, Object... args) {
        return first(sql, args).map(row -> row.orElseThrow(() -> new IllegalStateException("no row from: " + sql)));
    }

    /** Runs an insert, update or delete; answers how many rows it changed. */
    public Uni<Integer> update(String sql, Object... args) {
        return Panache.getSession().chain(session -> bind(session.createNativeQuery(sql), args).executeUpdate());
    }

    /**
     * Persists entities in the caller's session and flushes them at once, so the native statements that follow in
     * the transaction (an outbox row built by {@code entity_json}, a constraint the caller counts on) see them.
     */
    public Uni<Void> persist(Object... rows) {
        return Panache.getSession().chain(session -> session.persistAll(rows).chain(session::flush));
    }

    private static <R> Mutiny.Query<R> bind(Mutiny.Query<R> query, Object... args) {
        for (int i = 0; i < args.length; i++) {
            query.setParameter(i + 1, args[i]);
        }
        return query;
    }
}
