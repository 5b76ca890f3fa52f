package io.maestro.provisioner.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.vertx.core.runtime.VertxCoreRecorder;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.function.Supplier;

/**
 * Hibernate Reactive sessions for work that is not a request: a Mutiny session lives in a Vert.x duplicated context
 * and must neither be shared nor used outside it, so each call here gets a new context of its own.
 * <ul>
 * <li>{@link #onOwnContext}: non-blocking, for code called on an event loop outside a request (the watch hub).</li>
 * <li>{@link #awaitTransaction}, {@link #awaitSession}, {@link #await}: for code that runs on worker threads because
 * it blocks anyway (a command's steps call drivers: SSH, the AWS SDK); they wait for the result. Never used on an
 * event loop. REST resources return their {@code Uni}, except two {@code @Blocking} ones on worker threads: the
 * streaming exec (it must check its request before the stream's headers go out) and the file copy (it calls SSH).</li>
 * </ul>
 */
public final class Sessions {
    private Sessions() {
    }

    /**
     * Subscribes to {@code work} on a new duplicated context of the current (or any) event loop, and answers back on
     * the caller's context. That matters: a caller inside a request's session ({@code @WithSession}) closes it from
     * its own context when its {@code Uni} ends; continuing on this new context instead left the request's session
     * open, and its connection lost to the pool for good.
     */
    public static <T> Uni<T> onOwnContext(Supplier<Uni<T>> work) {
        return Uni.createFrom().emitter(done -> {
            Context current = Vertx.currentContext();
            Context root = current != null ? VertxContext.getRootContext(current) : VertxCoreRecorder.getVertx().get().getOrCreateContext();
            Context own = VertxContext.createNewDuplicatedContext(root);
            VertxContextSafetyToggle.setContextSafe(own, true);
            // Back to an event loop's context only: a worker thread awaiting the result would never run the task.
            Context caller = Context.isOnEventLoopThread() ? current : null;
            own.runOnContext(ignored -> {
                try {
                    work.get().subscribe().with(item -> onCaller(caller, () -> done.complete(item)),
                            failure -> onCaller(caller, () -> done.fail(failure)));
                } catch (RuntimeException e) {
                    onCaller(caller, () -> done.fail(e));
                }
            });
        });
    }

    private static void onCaller(Context caller, Runnable action) {
        if (caller == null) {
            action.run();
        } else {
            caller.runOnContext(ignored -> action.run());
        }
    }

    /** Runs {@code work} in one transaction (committed when its {@code Uni} succeeds) and returns its item. */
    public static <T> T awaitTransaction(Supplier<Uni<T>> work) {
        return await(() -> Panache.withTransaction(work));
    }

    /** Runs {@code work} in a session without a transaction (reads) and returns its item. */
    public static <T> T awaitSession(Supplier<Uni<T>> work) {
        return await(() -> Panache.withSession(work));
    }

    /** Runs {@code work}, which opens its own sessions, and returns its item (its failure is thrown as it is). */
    public static <T> T await(Supplier<Uni<T>> work) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("database work awaited on an event loop; return the Uni instead");
        }
        return onOwnContext(work).await().indefinitely();
    }
}
