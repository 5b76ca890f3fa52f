package io.maestro.provisioner.repository;

import io.maestro.events.EventCodec;
import io.maestro.events.ProvisioningCommand;
import io.maestro.events.ProvisioningEvent;
import io.maestro.provisioner.CommandRecord;
import io.maestro.provisioner.CommandStatus;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Commands, their claims by replicas, and their events (Hibernate Reactive; the caller opens the session or
 * transaction). What must be race-free across replicas is one native statement each, on the database's clock: the
 * insert of a new id, the claim, the renewal of leases.
 */
@ApplicationScoped
public class CommandRepository implements PanacheRepositoryBase<CommandEntity, String> {

    /** One stored event with its position, for replays that continue where they stopped. */
    public record StoredEvent(long seq, ProvisioningEvent event) {
    }

    /**
     * Stores a command unless its id is known; true when it is new (a redelivery changes nothing). Its actor goes in
     * a column of its own, so whichever replica runs or resumes the command names the same actor in its events.
     */
    public Uni<Boolean> insertIfNew(ProvisioningCommand command) {
        return getSession().chain(session -> session
                .createNativeQuery("insert into command (id, type, cluster, status, request, actor) "
                        + "values (:id, :type, :cluster, 'ACCEPTED', cast(cast(:request as text) as jsonb), :actor) on conflict (id) do nothing")
                .setParameter("id", command.commandId()).setParameter("type", command.type().name()).setParameter("cluster", command.cluster())
                .setParameter("request", EventCodec.encodeToString(command)).setParameter("actor", command.actor())
                .executeUpdate()).map(inserted -> inserted == 1);
    }

    public Uni<Optional<CommandRecord>> findCommand(String id) {
        return findById(id).map(row -> Optional.ofNullable(row).map(CommandRepository::command));
    }

    /**
     * Makes {@code owner} the one replica running the command: it must be queued, or running under a lease that
     * expired (its replica died). With {@code exclusive}, no other unexpired command may run on the same cluster;
     * the advisory lock makes that check and the claim one step across replicas. Needs a transaction (the lock
     * lasts until it ends).
     */
    public Uni<Boolean> claim(String id, String cluster, String owner, Duration lease, boolean exclusive) {
        String others = exclusive
                ? " and not exists (select 1 from command o where o.cluster = :cluster and o.id <> :id and o.status = 'RUNNING'"
                + " and o.lease_until > now() and o.type <> 'EXEC')"
                : "";
        return getSession().chain(session -> session
                .createNativeQuery("select count(*) from (select pg_advisory_xact_lock(hashtext(:cluster))) locked", Long.class)
                .setParameter("cluster", cluster).getSingleResult()
                .chain(() -> {
                    var update = session.createNativeQuery("update command set status = 'RUNNING', lease_owner = :owner, "
                                    + "lease_until = now() + :lease * interval '1 millisecond', updated_at = now() "
                                    + "where id = :id and (status = 'ACCEPTED' or (status = 'RUNNING' and lease_until < now()))" + others)
                            .setParameter("id", id).setParameter("owner", owner).setParameter("lease", lease.toMillis());
                    return (exclusive ? update.setParameter("cluster", cluster) : update).executeUpdate();
                }))
                .map(claimed -> claimed == 1);
    }

    /** Extends the leases of the commands this replica is running. */
    public Uni<Void> renew(List<String> ids, String owner, Duration lease) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return getSession().chain(session -> session
                        .createNativeQuery("update command set lease_until = now() + :lease * interval '1 millisecond' "
                                + "where id in (:ids) and lease_owner = :owner and status = 'RUNNING'")
                        .setParameter("ids", ids).setParameter("owner", owner).setParameter("lease", lease.toMillis()).executeUpdate())
                .replaceWithVoid();
    }

    /** Records the outcome, unless another replica has taken the command over meanwhile. */
    public Uni<Void> finish(String id, String owner, CommandStatus status, String message, String resultJson) {
        return getSession().chain(session -> session
                        .createMutationQuery("update CommandEntity c set c.status = :status, c.message = :message, c.result = :result, "
                                + "c.leaseUntil = null, c.updatedAt = current_timestamp where c.id = :id and c.leaseOwner = :owner")
                        .setParameter("status", status.name()).setParameter("message", message)
                        .setParameter("result", resultJson)
                        .setParameter("id", id).setParameter("owner", owner).executeUpdate())
                .replaceWithVoid();
    }

    /**
     * Commands waiting for a replica, oldest first: queued, or abandoned by a replica that died (lease run out). An
     * exec is never queued (it runs beside anything), and the replica that accepted it runs it at once for the
     * caller waiting on the answer, so it is left alone for {@code execGrace}: only an orphan is taken.
     */
    public Uni<List<CommandRecord>> claimable(int limit, Duration execGrace) {
        return getSession().chain(session -> session
                        .createNativeQuery("select * from command where (status = 'ACCEPTED'"
                                + " and (type <> 'EXEC' or created_at < now() - :grace * interval '1 millisecond'))"
                                + " or (status = 'RUNNING' and lease_until < now()) order by created_at limit :limit", CommandEntity.class)
                        .setParameter("grace", execGrace.toMillis()).setParameter("limit", limit).getResultList())
                .map(rows -> rows.stream().map(CommandRepository::command).toList());
    }

    /** Stores an event of a command, in the caller's transaction: it commits (and is relayed) with the state it announces. */
    public Uni<Void> append(ProvisioningEvent event) {
        CommandEventEntity row = new CommandEventEntity();
        row.commandId = event.commandId();
        row.type = event.type().name();
        row.event = EventCodec.encodeToString(event);
        return getSession().chain(session -> session.persist(row).chain(session::flush));
    }

    /** At most {@code limit} events of the command after position {@code seq}, in order. */
    public Uni<List<StoredEvent>> eventsAfter(String commandId, long seq, int limit) {
        return getSession().chain(session -> session
                        .createSelectionQuery("from CommandEventEntity e where e.commandId = :command and e.seq > :after order by e.seq",
                                CommandEventEntity.class)
                        .setParameter("command", commandId).setParameter("after", seq).setMaxResults(limit).getResultList())
                .map(rows -> rows.stream().map(row -> new StoredEvent(row.seq,
                        EventCodec.decode(row.event, ProvisioningEvent.class))).toList());
    }

    /** Every event of the command, in order. */
    public Uni<List<StoredEvent>> events(String commandId) {
        return eventsAfter(commandId, 0, Integer.MAX_VALUE);
    }

    private static CommandRecord command(CommandEntity row) {
        ProvisioningCommand request = EventCodec.decode(row.request, ProvisioningCommand.class).withActor(row.actor);
        return new CommandRecord(row.id, request, CommandStatus.valueOf(row.status), row.leaseOwner, row.message,
                row.result, row.createdAt, row.updatedAt);
    }
}
