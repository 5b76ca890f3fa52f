package io.maestro.provisioner.repository;

import io.maestro.events.EventCodec;
import io.maestro.events.ProvisioningCommand;
import io.maestro.events.ProvisioningEvent;
import io.maestro.provisioner.CommandRecord;
import io.maestro.provisioner.CommandStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Commands, their claims by replicas, and their events. */
@ApplicationScoped
public class CommandRepository {
    private static final String EVENTS_AFTER = "select seq, event::text as event from command_event where command_id = $1 and seq > $2 order by seq limit $3";
    private static final String COLUMNS = "id, request::text as request, actor, status, lease_owner, message, result::text as result, created_at, updated_at";

    /** One stored event with its position, for replays that continue where they stopped. */
    public record StoredEvent(long seq, ProvisioningEvent event) {
    }

    private final Sql sql;
    private final Pool pool;

    public CommandRepository(Sql sql, Pool pool) {
        this.sql = sql;
        this.pool = pool;
    }

    /**
     * Stores a command unless its id is known; true when it is new (a redelivery changes nothing). Its actor goes in
     * a column of its own, so whichever replica runs or resumes the command names the same actor in its events.
     */
    public boolean insertIfNew(ProvisioningCommand command) {
        return !sql.query("insert into command (id, type, cluster, status, request, actor) values ($1, $2, $3, 'ACCEPTED', $4::text::jsonb, $5) "
                        + "on conflict (id) do nothing returning id",
                command.commandId(), command.type().name(), command.cluster(), EventCodec.encodeToString(command), command.actor()).isEmpty();
    }

    public Optional<CommandRecord> find(String id) {
        return sql.query("select " + COLUMNS + " from command where id = $1", id).stream().findFirst().map(CommandRepository::command);
    }

    /**
     * Makes {@code owner} the one replica running the command: it must be queued, or running under a lease that
     * expired (its replica died). With {@code exclusive}, no other unexpired command may run on the same cluster;
     * the advisory lock makes that check and the claim one step across replicas.
     */
    public boolean claim(String id, String cluster, String owner, Duration lease, boolean exclusive) {
        return sql.inTransaction(tx -> {
            Sql.query(tx, "select pg_advisory_xact_lock(hashtext($1))", cluster);
            String others = exclusive
                    ? " and not exists (select 1 from command o where o.cluster = $4 and o.id <> $1 and o.status = 'RUNNING'"
                    + " and o.lease_until > now() and o.type <> 'EXEC')"
                    : " and $4::text is not null";
            return !Sql.query(tx, "update command set status = 'RUNNING', lease_owner = $2, lease_until = now() + $3 * interval '1 millisecond', "
                    + "updated_at = now() where id = $1 and (status = 'ACCEPTED' or (status = 'RUNNING' and lease_until < now()))"
                    + others + " returning id", id, owner, lease.toMillis(), cluster).isEmpty();
        });
    }

    /** Extends the leases of the commands this replica is running. */
    public void renew(List<String> ids, String owner, Duration lease) {
        if (!ids.isEmpty()) {
            sql.update("update command set lease_until = now() + $3 * interval '1 millisecond' where id = any($1) and lease_owner = $2 and status = 'RUNNING'",
                    ids.toArray(String[]::new), owner, lease.toMillis());
        }
    }

    public void finish(String id, String owner, CommandStatus status, String message, String resultJson) {
        sql.update("update command set status = $3, message = $4, result = $5::text::jsonb, lease_until = null, updated_at = now() "
                + "where id = $1 and lease_owner = $2", id, owner, status.name(), message, resultJson);
    }

    /**
     * Commands waiting for a replica, oldest first: queued, or abandoned by a replica that died (lease run out). An
     * exec is never queued (it runs beside anything), and the replica that accepted it runs it at once for the
     * caller waiting on the answer, so it is left alone for {@code execGrace}: only an orphan is taken.
     */
    public List<CommandRecord> claimable(int limit, Duration execGrace) {
        return sql.query("select " + COLUMNS + " from command where (status = 'ACCEPTED'"
                + " and (type <> 'EXEC' or created_at < now() - $2 * interval '1 millisecond'))"
                + " or (status = 'RUNNING' and lease_until < now()) order by created_at limit $1", limit, execGrace.toMillis())
                .stream().map(CommandRepository::command).toList();
    }

    public void append(ProvisioningEvent event) {
        sql.update("insert into command_event (command_id, type, event) values ($1, $2, $3::text::jsonb)",
                event.commandId(), event.type().name(), EventCodec.encodeToString(event));
    }

    /** Every event of the command after position {@code seq}, in order (blocking; joins the thread's transaction). */
    public List<StoredEvent> eventsAfter(String commandId, long seq) {
        return sql.query(EVENTS_AFTER, commandId, seq, Long.MAX_VALUE).stream().map(CommandRepository::storedEvent).toList();
    }

    /** At most {@code limit} events of the command after position {@code seq}, in order, without blocking (for an event loop). */
    public Uni<List<StoredEvent>> eventsAfter(String commandId, long seq, int limit) {
        return pool.preparedQuery(EVENTS_AFTER).execute(Tuple.of(commandId, seq, limit)).map(rows -> {
            List<StoredEvent> events = new ArrayList<>(rows.size());
            rows.forEach(row -> events.add(storedEvent(row)));
            return events;
        });
    }

    private static StoredEvent storedEvent(Row row) {
        return new StoredEvent(row.getLong("seq"), EventCodec.decode(row.getString("event"), ProvisioningEvent.class));
    }

    private static CommandRecord command(Row row) {
        ProvisioningCommand request = EventCodec.decode(row.getString("request"), ProvisioningCommand.class).withActor(row.getString("actor"));
        return new CommandRecord(row.getString("id"), request,
                CommandStatus.valueOf(row.getString("status")), row.getString("lease_owner"), row.getString("message"), row.getString("result"),
                instant(row, "created_at"), instant(row, "updated_at"));
    }

    private static Instant instant(Row row, String column) {
        return row.getOffsetDateTime(column).toInstant();
    }
}
