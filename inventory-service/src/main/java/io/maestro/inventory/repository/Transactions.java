package io.maestro.inventory.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

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

    public static <T> Uni<T> inTransaction(Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> Panache.withTransaction(work))
                .onFailure(PgErrors::retryable).retry().atMost(ATTEMPTS - 1)
                .onFailure().transform(PgErrors::translate);
    }

    public static <T> Uni<T> read(Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> Panache.withSession(work)).onFailure().transform(PgErrors::translate);
    }
}
