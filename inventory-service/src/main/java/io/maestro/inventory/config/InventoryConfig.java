package io.maestro.inventory.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of the inventory-service (prefix {@code inventory}); each is overridable by an environment variable, e.g. INVENTORY_OUTBOX_BATCH_SIZE. */
@ConfigMapping(prefix = "inventory")
public interface InventoryConfig {


    /** Paging of {@code GET /v1/entities}. */
    Query query();

    /** {@code POST /v1/allocations}. */
    Allocation allocation();

    /**
     * A bulk write of at least this many rows (entities and their attributes) brings the planner's statistics up to
     * date at once instead of waiting for autovacuum ({@code PlannerStatistics}).
     */
    @WithDefault("1000")
    int analyzeAfterBulkRows();

    /** Height in units of a rack without a {@code height} attribute. */
    @WithDefault("42")
    int defaultRackHeight();

    /** {@code POST /v1/import} and the export of {@code GET /v1/entities?format=csv|yaml}. */
    Transfer transfer();

    interface Transfer {
        /** Largest import body; a larger one is a 413 (the HTTP server's own limit, 10 MiB, lies above it). */
        @WithDefault("8388608")
        int maxBytes();

        /** Most rows in one import, and in one export (a larger one is a 400 asking to narrow q). */
        @WithDefault("50000")
        int maxRows();
    }

    interface Query {
        /** Page size when {@code limit} is absent. */
        @WithDefault("100")
        int defaultLimit();

        /** Largest accepted {@code limit}. */
        @WithDefault("1000")
        int maxLimit();

        /**
         * Longest time one statement of an expression's search may run (a search, an export, an allocation's
         * candidates); PostgreSQL stops it there and the caller gets a 503. A hostile or careless expression must not
         * hold a connection and a core for as long as it likes.
         */
        @WithDefault("10s")
        Duration timeout();
    }

    interface Allocation {
        /** Largest {@code count} of one allocation. */
        @WithDefault("1000")
        int maxCount();

        /** Candidates locked and examined per allocation (spreadBy picks among them). */
        @WithDefault("5000")
        int maxCandidates();
    }
}
