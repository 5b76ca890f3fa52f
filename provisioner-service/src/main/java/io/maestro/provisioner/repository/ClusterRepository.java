package io.maestro.provisioner.repository;

import com.fasterxml.jackson.core.type.TypeReference;
import io.maestro.events.EventCodec;
import io.maestro.events.ProvisioningEvent.NodeStatus;
import io.maestro.provisioner.ClusterRecord;
import io.maestro.provisioner.GroupRecord;
import io.maestro.provisioner.NodeRecord;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Clusters, their groups and nodes in PostgreSQL. */
@ApplicationScoped
public class ClusterRepository {
    private static final String NODE_COLUMNS = "cluster, tag, idx, provider_id, address, username, port, status, host_key";

    private final Sql sql;

    public ClusterRepository(Sql sql) {
        this.sql = sql;
    }

    public Optional<ClusterRecord> find(String name) {
        List<Row> rows = sql.query("select name, ssh_public_key, launch_command_id, created_at from cluster where name = $1", name);
        return rows.stream().findFirst().map(row -> cluster(row, groups(name)));
    }

    public List<ClusterRecord> list() {
        List<ClusterRecord> clusters = new ArrayList<>();
        for (Row row : sql.query("select name, ssh_public_key, launch_command_id, created_at from cluster order by name")) {
            clusters.add(cluster(row, groups(row.getString("name"))));
        }
        return clusters;
    }

    public List<GroupRecord> groups(String cluster) {
        return sql.query("select cluster, tag, driver, options::text as options, count from node_group where cluster = $1 order by tag", cluster)
                .stream().map(ClusterRepository::group).toList();
    }

    /**
     * Stores a new cluster with its groups and one pending row per node, before any driver is called, so a launch
     * interrupted later is resumed rather than repeated. Returns false when the cluster exists already.
     */
    public boolean create(ClusterRecord cluster) {
        return sql.inTransaction(tx -> {
            int inserted = Sql.query(tx, "insert into cluster (name, ssh_public_key, launch_command_id) values ($1, $2, $3) "
                    + "on conflict (name) do nothing returning name", cluster.name(), cluster.sshPublicKey(), cluster.launchCommandId()).size();
            if (inserted == 0) {
                return false;
            }
            for (GroupRecord group : cluster.groups()) {
                Sql.query(tx, "insert into node_group (cluster, tag, driver, options, count) values ($1, $2, $3, $4::text::jsonb, $5)",
                        cluster.name(), group.tag(), group.driver(), EventCodec.encodeToString(group.options()), group.count());
                addPendingNodes(tx, cluster.name(), group.tag(), 0, group.count());
            }
            return true;
        });
    }

    /** Sets a group's count; new indexes get pending rows, rows above the count stay until their nodes are gone. */
    public void setCount(String cluster, String tag, int count) {
        sql.inTransaction(tx -> {
            Sql.query(tx, "update node_group set count = $3 where cluster = $1 and tag = $2", cluster, tag, count);
            addPendingNodes(tx, cluster, tag, 0, count);
            return null;
        });
    }

    private static void addPendingNodes(SqlClient tx, String cluster, String tag, int from, int to) {
        Sql.query(tx, "insert into node (cluster, tag, idx, status) select $1, $2, i, 'pending' from generate_series($3::int, $4::int - 1) i "
                + "on conflict do nothing", cluster, tag, from, to);
    }

    public List<NodeRecord> nodes(String cluster, String tag) {
        List<Row> rows = tag == null
                ? sql.query("select " + NODE_COLUMNS + " from node where cluster = $1 order by tag, idx", cluster)
                : sql.query("select " + NODE_COLUMNS + " from node where cluster = $1 and tag = $2 order by idx", cluster, tag);
        return rows.stream().map(ClusterRepository::node).toList();
    }

    public Optional<NodeRecord> node(String cluster, String tag, int index) {
        return sql.query("select " + NODE_COLUMNS + " from node where cluster = $1 and tag = $2 and idx = $3", cluster, tag, index)
                .stream().findFirst().map(ClusterRepository::node);
    }

    public void save(NodeRecord node) {
        sql.update("update node set provider_id = $4, address = $5, username = $6, port = $7, status = $8, host_key = $9, updated_at = now() "
                        + "where cluster = $1 and tag = $2 and idx = $3",
                node.cluster(), node.tag(), node.index(), node.providerId(), node.address(), node.username(), node.port(),
                node.status().name(), node.hostKey());
    }

    public void deleteNode(String cluster, String tag, int index) {
        sql.update("delete from node where cluster = $1 and tag = $2 and idx = $3", cluster, tag, index);
    }

    public void delete(String cluster) {
        sql.update("delete from cluster where name = $1", cluster);
    }

    /** Nodes planned in all clusters (the sum of group counts), for the service-wide limit. */
    public long plannedNodes() {
        return sql.query("select coalesce(sum(count), 0) as total from node_group").get(0).getLong("total");
    }

    private static ClusterRecord cluster(Row row, List<GroupRecord> groups) {
        return new ClusterRecord(row.getString("name"), row.getString("ssh_public_key"), row.getString("launch_command_id"),
                row.getOffsetDateTime("created_at").toInstant(), groups);
    }

    private static GroupRecord group(Row row) {
        Map<String, String> options;
        try {
            options = EventCodec.mapper().readValue(row.getString("options"), new TypeReference<Map<String, String>>() { });
        } catch (Exception e) {
            throw new IllegalStateException("bad options in node_group", e);
        }
        return new GroupRecord(row.getString("cluster"), row.getString("tag"), row.getString("driver"), options, row.getInteger("count"));
    }

    private static NodeRecord node(Row row) {
        return new NodeRecord(row.getString("cluster"), row.getString("tag"), row.getInteger("idx"), row.getString("provider_id"),
                row.getString("address"), row.getString("username"), row.getInteger("port"), NodeStatus.valueOf(row.getString("status")),
                row.getString("host_key"));
    }
}
