package io.maestro.provisioner.repository;

import io.maestro.events.ProvisioningEvent.NodeStatus;
import io.maestro.provisioner.ClusterRecord;
import io.maestro.provisioner.GroupRecord;
import io.maestro.provisioner.NodeRecord;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import com.fasterxml.jackson.core.type.TypeReference;
import io.maestro.events.EventCodec;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Clusters, their groups and nodes (Hibernate Reactive; the caller opens the session or transaction). A new cluster
 * is one native {@code insert ... on conflict do nothing}, so two replicas launching the same name cannot both win.
 */
@ApplicationScoped
public class ClusterRepository implements PanacheRepositoryBase<ClusterEntity, String> {
    private static final TypeReference<TreeMap<String, String>> OPTIONS = new TypeReference<>() { };

    public Uni<Optional<ClusterRecord>> findCluster(String name) {
        return findById(name).chain(found -> found == null
                ? Uni.createFrom().item(Optional.<ClusterRecord>empty())
                : groups(name).map(groups -> Optional.of(cluster(found, groups))));
    }

    public Uni<List<ClusterRecord>> listClusters() {
        return list("order by name").chain(found -> getSession()
                .chain(session -> session.createSelectionQuery("from NodeGroupEntity g order by g.cluster, g.tag", NodeGroupEntity.class).getResultList())
                .map(groups -> found.stream().map(cluster -> cluster(cluster,
                        groups.stream().filter(g -> g.cluster.equals(cluster.name)).map(ClusterRepository::group).toList())).toList()));
    }

    public Uni<List<GroupRecord>> groups(String cluster) {
        return getSession().chain(session -> session
                        .createSelectionQuery("from NodeGroupEntity g where g.cluster = :cluster order by g.tag", NodeGroupEntity.class)
                        .setParameter("cluster", cluster).getResultList())
                .map(groups -> groups.stream().map(ClusterRepository::group).toList());
    }

    /**
     * Stores a new cluster with its groups and one pending row per node, before any driver is called, so a launch
     * interrupted later is resumed rather than repeated. False when the cluster exists already. Needs a transaction.
     */
    public Uni<Boolean> create(ClusterRecord cluster, Duration ttl) {
        // expires_at on the database's clock, like every other deadline here; the ttl counts from the cluster's creation.
        return getSession().chain(session -> session
                .createNativeQuery("insert into cluster (name, ssh_public_key, launch_command_id, ttl, expires_at) "
                        + "values (:name, :key, :command, :ttl, case when :ttlMillis < 0 then null else now() + :ttlMillis * interval '1 millisecond' end) "
                        + "on conflict (name) do nothing")
                .setParameter("name", cluster.name()).setParameter("key", cluster.sshPublicKey()).setParameter("command", cluster.launchCommandId())
                .setParameter("ttl", cluster.ttl()).setParameter("ttlMillis", ttl == null ? -1L : ttl.toMillis())
                .executeUpdate()
                .chain(inserted -> {
                    if (inserted == 0) {
                        return Uni.createFrom().item(false);
                    }
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (GroupRecord group : cluster.groups()) {
                        NodeGroupEntity row = new NodeGroupEntity();
                        row.cluster = cluster.name();
                        row.tag = group.tag();
                        row.driver = group.driver();
                        row.options = EventCodec.encodeToString(new TreeMap<>(group.options()));
                        row.count = group.count();
                        chain = chain.chain(() -> session.persist(row)).chain(session::flush)
                                .chain(() -> addPendingNodes(cluster.name(), group.tag(), group.count()));
                    }
                    return chain.replaceWith(true);
                }));
    }

    /**
     * Makes the cluster expire {@code ttl} from now ({@code ttl} null: never). Refused (false) once the provisioner has
     * issued the DESTROY of an expiry, unless that command failed; then the cluster is expiry-free again to retry.
     * False too for an unknown cluster: the caller tells the two apart.
     */
    public Uni<Boolean> setExpiry(String name, String ttlText, Duration ttl) {
        return getSession().chain(session -> session
                        .createNativeQuery("update cluster set ttl = :ttl, expiry_command_id = null, "
                                + "expires_at = case when :ttlMillis < 0 then null else now() + :ttlMillis * interval '1 millisecond' end "
                                + "where name = :name and (expiry_command_id is null "
                                + "or exists (select 1 from command c where c.id = cluster.expiry_command_id and c.status = 'FAILED'))")
                        .setParameter("ttl", ttlText).setParameter("ttlMillis", ttl == null ? -1L : ttl.toMillis()).setParameter("name", name)
                        .executeUpdate())
                .map(updated -> updated == 1);
    }

    /**
     * Up to {@code limit} clusters whose ttl ran out and that no replica is destroying yet (or whose expiry's DESTROY
     * failed more than {@code retryAfter} ago), locked until the transaction ends; others' locked rows are skipped,
     * so two replicas never pick the same cluster. Needs a transaction.
     */
    public Uni<List<ClusterRecord>> lockExpired(int limit, Duration retryAfter) {
        return getSession().chain(session -> session
                        .createNativeQuery("select * from cluster where expires_at <= now() and (expiry_command_id is null "
                                + "or exists (select 1 from command c where c.id = cluster.expiry_command_id and c.status = 'FAILED' "
                                + "and c.updated_at < now() - :retry * interval '1 millisecond')) "
                                + "order by expires_at limit :limit for update skip locked", ClusterEntity.class)
                        .setParameter("retry", retryAfter.toMillis()).setParameter("limit", limit).getResultList())
                .map(rows -> rows.stream().map(row -> cluster(row, List.of())).toList());
    }

    /** Records that {@code commandId} destroys the cluster because its ttl ran out. Needs the transaction of {@link #lockExpired}. */
    public Uni<Void> markExpiring(String name, String commandId) {
        return getSession().chain(session -> session
                        .createNativeQuery("update cluster set expiry_command_id = :command where name = :name")
                        .setParameter("command", commandId).setParameter("name", name).executeUpdate())
                .replaceWithVoid();
    }

    /** Sets a group's count; new indexes get pending rows, rows above the count stay until their nodes are gone. */
    public Uni<Void> setCount(String cluster, String tag, int count) {
        return getSession().chain(session -> session.find(NodeGroupEntity.class, new NodeGroupEntity.Key(cluster, tag))
                .invoke(group -> group.count = count)
                .chain(session::flush))
                .chain(() -> addPendingNodes(cluster, tag, count));
    }

    private Uni<Void> addPendingNodes(String cluster, String tag, int count) {
        return getSession().chain(session -> session
                        .createNativeQuery("insert into node (cluster, tag, idx, status) select :cluster, :tag, i, 'pending' "
                                + "from generate_series(0, cast(:count as integer) - 1) i on conflict do nothing")
                        .setParameter("cluster", cluster).setParameter("tag", tag).setParameter("count", count).executeUpdate())
                .replaceWithVoid();
    }

    /** The nodes of a cluster (of one group when {@code tag} is given), by tag and index. */
    public Uni<List<NodeRecord>> nodes(String cluster, String tag) {
        return getSession().chain(session -> (tag == null
                        ? session.createSelectionQuery("from NodeEntity n where n.cluster = :cluster order by n.tag, n.index", NodeEntity.class)
                        : session.createSelectionQuery("from NodeEntity n where n.cluster = :cluster and n.tag = :tag order by n.index", NodeEntity.class)
                        .setParameter("tag", tag))
                        .setParameter("cluster", cluster).getResultList())
                .map(rows -> rows.stream().map(ClusterRepository::node).toList());
    }

    /** Every node of every cluster, by cluster, tag and index. */
    public Uni<List<NodeRecord>> allNodes() {
        return getSession().chain(session -> session.createSelectionQuery("from NodeEntity n order by n.cluster, n.tag, n.index", NodeEntity.class)
                        .getResultList())
                .map(rows -> rows.stream().map(ClusterRepository::node).toList());
    }

    public Uni<Optional<NodeRecord>> node(String cluster, String tag, int index) {
        return getSession().chain(session -> session.find(NodeEntity.class, new NodeEntity.Key(cluster, tag, index)))
                .map(row -> Optional.ofNullable(row).map(ClusterRepository::node));
    }

    /** Writes what the driver reported of a node; needs a transaction. */
    public Uni<Void> save(NodeRecord node) {
        return getSession().chain(session -> session.createMutationQuery("update NodeEntity n set n.providerId = :providerId, n.address = :address, n.username = :username, n.port = :port, "
                                + "n.status = :status, n.hostKey = :hostKey, n.updatedAt = current_timestamp "
                                + "where n.cluster = :cluster and n.tag = :tag and n.index = :index")
                        .setParameter("providerId", node.providerId()).setParameter("address", node.address())
                        .setParameter("username", node.username()).setParameter("port", node.port())
                        .setParameter("status", node.status().name()).setParameter("hostKey", node.hostKey())
                        .setParameter("cluster", node.cluster()).setParameter("tag", node.tag()).setParameter("index", node.index())
                        .executeUpdate())
                .replaceWithVoid();
    }

    public Uni<Void> deleteNode(String cluster, String tag, int index) {
        return getSession().chain(session -> session.createMutationQuery("delete from NodeEntity n where n.cluster = :cluster and n.tag = :tag and n.index = :index")
                        .setParameter("cluster", cluster).setParameter("tag", tag).setParameter("index", index).executeUpdate())
                .replaceWithVoid();
    }

    /** Removes the cluster; its groups and nodes go with it (foreign keys {@code on delete cascade}). */
    public Uni<Void> deleteCluster(String cluster) {
        return delete("name", cluster).replaceWithVoid();
    }

    /** Nodes planned in all clusters (the sum of group counts), for the service-wide limit. */
    public Uni<Long> plannedNodes() {
        return getSession().chain(session -> session.createSelectionQuery("select coalesce(sum(g.count), 0) from NodeGroupEntity g", Long.class)
                .getSingleResult());
    }

    private static ClusterRecord cluster(ClusterEntity row, List<GroupRecord> groups) {
        return new ClusterRecord(row.name, row.sshPublicKey, row.launchCommandId, row.createdAt, groups, row.ttl, row.expiresAt,
                row.expiryCommandId);
    }

    private static GroupRecord group(NodeGroupEntity row) {
        Map<String, String> options;
        try {
            options = EventCodec.mapper().readValue(row.options, OPTIONS);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("bad options in node_group", e);
        }
        return new GroupRecord(row.cluster, row.tag, row.driver, options, row.count);
    }

    private static NodeRecord node(NodeEntity row) {
        return new NodeRecord(row.cluster, row.tag, row.index, row.providerId, row.address, row.username, row.port,
                NodeStatus.valueOf(row.status), row.hostKey);
    }
}
