package io.maestro.examples.sdk;

import io.maestro.client.MaestroEndpoints;
import io.maestro.client.http.MaestroApiException;
import io.maestro.client.inventory.Entity;
import io.maestro.client.inventory.Inventory;
import io.maestro.client.inventory.Location;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * clusto's README question on the SDK: "get 4 servers in datacenter Z with status == unallocated, each in a different
 * rack". It builds datacenter Z (five racks of two servers), allocates the four in one request (all or nothing, and
 * race-free against concurrent allocations), locates one, then removes what it built.
 *
 * <pre>
 * servers = []
 * d = clusto.getByName('datacenterZ')
 * racks = d.getConnectedMatching(AttributeDict(Racks.allMetaAttrs()))
 * for r in racks:
 *     s = r.getConnectedMatching(Servers.allMetaAttrs() + [('status', 'unallocated')])
 *     servers.append(s.pop())
 * </pre>
 */
public final class ClustoExample {
    private static final String DATACENTER = "example-dcz";

    private ClustoExample() {
    }

    public static void main(String[] args) {
        run(MaestroEndpoints.fromEnvironment(), System.getenv(MaestroEndpoints.TOKEN_VARIABLE), System.out);
    }

    public static void run(MaestroEndpoints endpoints, String token, PrintStream out) {
        Inventory inv = Inventory.builder(endpoints.inventory()).token(token).build();
        List<String> built = new ArrayList<>();
        try {
            inv.create(DATACENTER, "datacenter");
            built.add(DATACENTER);
            for (int r = 1; r <= 5; r++) {
                String rack = DATACENTER + "-rack" + r;
                inv.create(rack, "rack");
                built.add(rack);
                inv.insert(DATACENTER, rack);
                for (int u = 1; u <= 2; u++) {
                    String server = rack + "-s" + u;
                    inv.create(server, "server", Map.of("status", "unallocated", "memory", 64));
                    built.add(server);
                    inv.insert(rack, server, u * 2 - 1, 2); // units 1-2 and 3-4
                }
            }
            out.println("datacenter Z: " + inv.query("type:server and in:" + DATACENTER).count() + " servers in 5 racks");

            List<Entity> four = inv.allocate("type:server and in:" + DATACENTER + " and attr:status=unallocated", 4)
                    .spreadBy("rack").assignAttributes(Map.of("status", "allocated")).commit();
            for (Entity server : four) {
                out.println("allocated " + server.name() + " in " + server.parent() + ", status " + server.value("status").orElse("?"));
            }
            Location where = inv.locate(four.get(0).name());
            out.println(where.entity() + " is in " + where.chain().stream()
                    .map(link -> link.entity() + (link.unit() == null ? "" : " (unit " + link.unit() + ")")).toList());
            out.println("still unallocated: " + inv.query("type:server and in:" + DATACENTER + " and attr:status=unallocated").count());
        } finally {
            // Contained entities first, so nothing is left behind for the next run.
            for (int i = built.size() - 1; i >= 0; i--) {
                try {
                    inv.delete(built.get(i));
                } catch (MaestroApiException e) {
                    out.println("could not remove " + built.get(i) + ": " + e.getMessage());
                }
            }
        }
    }
}
