package io.maestro.inventory.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import io.maestro.inventory.mutation.DryRun;
import io.maestro.inventory.mutation.MutationOptions;
import io.maestro.inventory.outbox.HistoryService;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Where each inventory operation opens its Hibernate Reactive session: a mutation in one transaction, retried in a
 * new session on deadlock or serialization failure (so {@code work} must only touch the database), a read in a
 * session without one. PostgreSQL's refusals come out as problems ({@link PgErrors}).
 */
public final class Transactions {
    /** Runs of a transaction in all, the first one included. */
    static final int ATTEMPTS = 3;

    private Transactions() {
    }

    /**
     * With {@code ?dryRun=true} ({@link MutationOptions}), {@code work} runs in full and the transaction is rolled back
     * by {@link DryRun}, carrying the outbox rows it wrote: the changes it would make, answered instead of its result.
     */
    public static <T> Uni<T> inTransaction(Supplier<Uni<T>> work) {
        Supplier<Uni<T>> run = work;
        if (MutationOptions.current().dryRun()) {
            run = () -> work.get().chain(result -> Transactions.<T>rolledBack());
        }
        Supplier<Uni<T>> attempt = run;
        return Uni.createFrom().deferred(() -> Panache.withTransaction(attempt))
                .onFailure(PgErrors::retryable).retry().atMost(ATTEMPTS - 1)
                .onFailure().transform(PgErrors::translate);
    }

    /** Fails with the changes this transaction wrote to the outbox (its rows carry its transaction id), which rolls it back. */
    private static <T> Uni<T> rolledBack() {
        return Panache.getSession().chain(session -> session.createNativeQuery(WRITTEN_HERE).getResultList()
                .chain(ids -> ids.isEmpty() ? Uni.createFrom().item(List.<OutboxRow>of())
                        : session.createSelectionQuery("from OutboxRow o where o.id in (:ids) order by o.id", OutboxRow.class)
                                .setParameter("ids", ids.stream().map(id -> ((Number) id).longValue()).toList()).getResultList()))
                .chain(rows -> Uni.createFrom().<T>failure(new DryRun(rows.stream().map(HistoryService::mutation).toList())));
    }

    /** The outbox rows of the current transaction: xmin is the id of the transaction that wrote a row. */
    private static final String WRITTEN_HERE = "select id from outbox where xmin::text = (txid_current() % 4294967296)::text order by id";

    public static <T> Uni<T> read(Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> Panache.withSession(work)).onFailure().transform(PgErrors::translate);
    }

    /**
     * {@link #read} for a search by expression: in a transaction whose every statement PostgreSQL stops after
     * {@code timeout} ({@link #limitStatements}); a statement stopped so is a 503 ({@link PgErrors}).
     */
    public static <T> Uni<T> search(Duration timeout, Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> Panache.withTransaction(() -> limitStatements(timeout).chain(() -> work.get())))
                .onFailure().transform(PgErrors::translate);
    }

    /** Every further statement of the current transaction is stopped by PostgreSQL after {@code timeout}. */
    public static Uni<Void> limitStatements(Duration timeout) {
        return Panache.getSession().chain(session -> session.createNativeQuery("select set_config('statement_timeout', ?1, true)")
                .setParameter(1, timeout.toMillis() + "ms").getSingleResult()).replaceWithVoid();
    }
}
