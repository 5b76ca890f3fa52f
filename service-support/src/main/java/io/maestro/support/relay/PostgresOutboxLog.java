package io.maestro.support.relay;

import io.maestro.events.MaestroEvent;
import io.maestro.support.connections.PoolConnections;
import io.vertx.mutiny.pgclient.PgConnection;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A PostgreSQL outbox table as a {@link RelayLog}: the service inserts an event's row in the same transaction as
 * the change it describes, so the event commits with the state or not at all (no dual write). The table has a
 * {@code bigserial} id column (insertion order) and a nullable {@code published_at}; a statement trigger on insert calls
 * {@code pg_notify(<channel>, ...)}, which wakes the relay the moment a transaction commits (no polling; the wait
 * times out only as a safety net).
 *
 * <p>The holder is the replica whose dedicated connection has the session-level advisory lock {@code lockKey}; the
 * same connection LISTENs and reads. When that connection dies, PostgreSQL drops the lock and another replica takes
 * over. Rows are marked published once Kafka acknowledged them, so rows that commit out of id order are picked up
 * on the next read.
 */
public final class PostgresOutboxLog implements RelayLog {
    private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

    /**
     * @param name    the outbox table
     * @param id      its {@code bigserial} column
     * @param columns the columns {@code decode} reads
     * @param channel the NOTIFY channel its insert trigger signals
     * @param lockKey the advisory lock that makes one replica the relay
     */
    public record Table(String name, String id, String columns, String channel, long lockKey) {
        public Table {
            if (!IDENTIFIER.matcher(name).matches() || !IDENTIFIER.matcher(id).matches() || !IDENTIFIER.matcher(channel).matches()) {
                throw new IllegalArgumentException("outbox table and channel must be plain SQL identifiers");
            }
        }
    }

    private final String name;
    private final Pool pool;
    private final Table table;
    private final Function<Row, MaestroEvent> decode;
    private final Semaphore written = new Semaphore(0);
    private final String select;
    private final String mark;
    private SqlConnection holder;

    public PostgresOutboxLog(String name, Pool pool, Table table, Function<Row, MaestroEvent> decode) {
        this.name = name;
        // Resolve the pool here, on the starting thread, not first in the relay's own (lazily created client beans).
        pool.size();
        this.pool = pool;
        this.table = table;
        this.decode = decode;
        this.select = "select " + table.id() + " as relay_position, " + table.columns() + " from " + table.name()
                + " where published_at is null order by " + table.id() + " limit $1";
        this.mark = "update " + table.name() + " set published_at = now() where " + table.id() + " = any($1) and published_at is null";
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean hold() {
        if (holder != null) {
            try {
                holder.query("select 1").execute().await().atMost(STATEMENT_TIMEOUT);
                return true;
            } catch (RuntimeException e) {
                dropHolder();
                throw new IllegalStateException("the connection holding the " + name + " relay lock failed: " + e.getMessage(), e);
            }
        }
        SqlConnection connection = PoolConnections.take(pool, STATEMENT_TIMEOUT).orElseThrow(() ->
                new IllegalStateException("no connection from the pool within " + STATEMENT_TIMEOUT.toSeconds() + " s"));
        try {
            boolean locked = connection.preparedQuery("select pg_try_advisory_lock($1)").execute(Tuple.of(table.lockKey()))
                    .await().atMost(STATEMENT_TIMEOUT).iterator().next().getBoolean(0);
            if (!locked) {
                connection.close().await().atMost(STATEMENT_TIMEOUT);
                return false;
            }
            PgConnection.cast(connection).notificationHandler(notification -> written.release());
            connection.query("LISTEN " + table.channel()).execute().await().atMost(STATEMENT_TIMEOUT);
            holder = connection;
            return true;
        } catch (RuntimeException e) {
            connection.close().subscribe().with(ok -> { }, failure -> { });
            throw e;
        }
    }

    @Override
    public List<PendingEvent> next(int max, Duration wait) throws InterruptedException {
        written.drainPermits();
        List<PendingEvent> events = read(max);
        if (events.isEmpty() && wait.toMillis() > 0 && written.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            written.drainPermits();
            events = read(max);
        }
        return events;
    }

    private List<PendingEvent> read(int max) {
        List<PendingEvent> events = new ArrayList<>();
        for (Row row : holder.preparedQuery(select).execute(Tuple.of(max)).await().atMost(STATEMENT_TIMEOUT)) {
            events.add(new PendingEvent(Long.toString(row.getLong("relay_position")), decode.apply(row)));
        }
        return events;
    }

    @Override
    public boolean acknowledge(List<PendingEvent> events) {
        Long[] ids = events.stream().map(event -> Long.valueOf(event.position())).toArray(Long[]::new);
        holder.preparedQuery(mark).execute(Tuple.of(ids)).await().atMost(STATEMENT_TIMEOUT);
        return true;
    }

    @Override
    public void release() {
        if (holder != null) {
            try {
                holder.preparedQuery("select pg_advisory_unlock($1)").execute(Tuple.of(table.lockKey())).await().atMost(STATEMENT_TIMEOUT);
            } finally {
                dropHolder();
            }
        }
    }

    private void dropHolder() {
        SqlConnection connection = holder;
        holder = null;
        if (connection != null) {
            connection.close().subscribe().with(ok -> { }, failure -> { });
        }
    }
}
