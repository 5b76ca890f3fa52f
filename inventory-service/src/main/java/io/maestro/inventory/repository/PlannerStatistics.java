package io.maestro.inventory.repository;

import io.maestro.inventory.config.InventoryConfig;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Brings the planner's statistics up to date after a bulk write. Autovacuum analyzes a table only once enough rows
 * changed and its next round comes (a minute or so); until then the planner plans from the counts of before, and a
 * search just after creating thousands of entities took 660 ms instead of 22 ms (2,000 servers, two attribute
 * terms; {@code suite-tests/console-bench.sh}). So a bulk write of at least
 * {@code inventory.analyze-after-bulk-rows} rows analyzes {@code entity} and {@code attribute} right away, on the
 * pool (outside the request's session and transaction), one at a time: a write while one runs asks for one more.
 */
@ApplicationScoped
public class PlannerStatistics {
    private static final Logger LOG = Logger.getLogger(PlannerStatistics.class);
    private static final int IDLE = 0;
    private static final int RUNNING = 1;
    private static final int RUNNING_AND_ASKED_AGAIN = 2;

    private final Pool pool;
    private final int threshold;
    private final AtomicInteger state = new AtomicInteger(IDLE);

    public PlannerStatistics(Pool pool, InventoryConfig config) {
        this.pool = pool;
        this.threshold = config.analyzeAfterBulkRows();
    }

    /** Tells of a committed bulk write of {@code rows} rows (entities and attributes). */
    public void written(int rows) {
        if (rows < threshold) {
            return;
        }
        if (state.getAndUpdate(s -> s == IDLE ? RUNNING : RUNNING_AND_ASKED_AGAIN) == IDLE) {
            analyze();
        }
    }

    private void analyze() {
        long start = System.nanoTime();
        pool.query("analyze entity, attribute").execute().subscribe().with(done -> {
            LOG.debugf("analyzed entity and attribute after a bulk write in %d ms", (System.nanoTime() - start) / 1_000_000);
            finished();
        }, failure -> {
            LOG.warnf("could not analyze entity and attribute after a bulk write (autovacuum will): %s", failure.getMessage());
            finished();
        });
    }

    private void finished() {
        if (state.getAndUpdate(s -> s == RUNNING_AND_ASKED_AGAIN ? RUNNING : IDLE) == RUNNING_AND_ASKED_AGAIN) {
            analyze();
        }
    }
}
