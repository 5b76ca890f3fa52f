package io.maestro.inventory.mutation;

import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * What a request asks of the mutation it makes, beside its body: {@code ?dryRun=true} (answer the changes, write
 * nothing) and {@code ?note=...} (why, kept in the history and the published InventoryMutation). Set for the request
 * by {@link MutationParameters}, read where the transaction runs ({@code Transactions}) and where the outbox row is
 * written ({@code EntityStore}), so every mutation gets both without each service passing them along. A mutation
 * not made by a request (a provisioning event) has neither.
 */
public record MutationOptions(boolean dryRun, String note) {
    public static final MutationOptions NONE = new MutationOptions(false, null);
    private static final String KEY = "maestro.inventory.mutation-options";

    /** This request's options; {@link #NONE} outside a request. */
    public static MutationOptions current() {
        Context context = Vertx.currentContext();
        if (context == null || !VertxContext.isDuplicatedContext(context)) {
            return NONE;
        }
        return ContextLocals.<MutationOptions>get(KEY).orElse(NONE);
    }

    static void set(MutationOptions options) {
        ContextLocals.put(KEY, options);
    }
}
