package io.maestro.console.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.client.http.MaestroApiException;
import io.maestro.client.inventory.Change;
import io.maestro.client.inventory.Entity;
import io.maestro.client.inventory.Inventory;
import io.maestro.client.inventory.Location;
import io.maestro.console.ConsoleClients;
import io.maestro.console.Page;
import io.maestro.console.ServiceProblems;
import io.maestro.console.session.ConsoleSession;
import io.maestro.console.session.CurrentSession;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.DefaultValue;
import io.maestro.console.session.Sessions;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The inventory: one search box that takes the expression language (searched and paged by the inventory itself,
 * an error shown at its position), and an entity's page with its attributes, where it is, its connections, pools
 * and addresses, and its history with what each change made different.
 */
@Path("/inventory")
@Produces(MediaType.TEXT_HTML)
public class InventoryResource {
    static final int PAGE_SIZE = 50;
    private static final Pattern POSITION = Pattern.compile("at position (\\d+)");

    @TemplateData
    public record Row(String name, String type, String parent, List<String> pools, String summary) {
    }

    /** An expression the inventory refused: the expression, where, and why (in the inventory's words). */
    @TemplateData
    public record QueryError(String expression, int position, String rule) {
        public String before() {
            return expression.substring(0, Math.min(position, expression.length()));
        }

        public String at() {
            return position < expression.length() ? expression.substring(position, position + 1) : " ";
        }

        public String after() {
            return position + 1 < expression.length() ? expression.substring(position + 1) : "";
        }
    }

    @TemplateData
    public record Attribute(String key, String subkey, Integer number, String type, String value) {
    }

    @TemplateData
    public record Difference(String what, String before, String after) {
    }

    @TemplateData
    public record HistoryEntry(String occurredAt, String op, long version, String actor, List<Difference> differences) {
    }

    @TemplateData
    public record EntityView(String name, String type, long version, String createdAt, String updatedAt, String parent,
                             List<Attribute> attributes, List<Location.Link> chain, List<Entity.PortConnection> connections,
                             List<String> pools, List<Entity.Address> addresses, List<HistoryEntry> history) {
    }

    @TemplateData
    public record RangeRow(String name, String cidr, String hosts, long allocated, double utilisation) {
        public String percent() {
            return String.format(java.util.Locale.ROOT, "%.1f%%", utilisation * 100);
        }
    }

    /** What the allocation form holds, given back as typed. */
    @TemplateData
    public record AllocationForm(String query, String count, String spreadBy, String pool, String attributes) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance ranges(Page page, List<RangeRow> ranges, String nextCursor, boolean firstPage);

        static native TemplateInstance allocate(Page page, AllocationForm form, String error, List<Row> chosen, boolean committed);

        static native TemplateInstance search(Page page, String query, List<Row> rows, QueryError error, String nextCursor,
                                              boolean firstPage);

        static native TemplateInstance entity(Page page, EntityView entity);
    }

    private final ConsoleClients clients;
    private final CurrentSession current;

    public InventoryResource(ConsoleClients clients, CurrentSession current) {
        this.clients = clients;
        this.current = current;
    }

    @GET
    public Response search(@QueryParam("q") @DefaultValue("") String query, @QueryParam("cursor") String cursor) {
        ConsoleSession session = current.get();
        Page page = Page.of(session, "Inventory", "Inventory");
        String q = query.strip();
        List<Row> rows = List.of();
        String next = null;
        QueryError error = null;
        int status = 200;
        try {
            Inventory.Page found = clients.inventory(session.token()).page(q, cursor == null || cursor.isBlank() ? null : cursor, PAGE_SIZE);
            rows = found.items().stream().map(InventoryResource::row).toList();
            next = found.nextCursor();
        } catch (MaestroApiException e) {
            error = queryError(q, e);
            if (error == null) {
                page.banner(problem(e));
                status = ServiceProblems.status(e);
            } else {
                status = 400;
            }
        }
        return Response.status(status).entity(Templates.search(page, q, rows, error, next, cursor == null || cursor.isBlank()).render()).build();
    }

    @GET
    @Path("entities/{name}")
    public Response entity(@PathParam("name") String name) {
        ConsoleSession session = current.get();
        Page page = Page.of(session, name, "Inventory");
        try {
            Inventory inventory = clients.inventory(session.token());
            Entity entity = inventory.get(name);
            Location location = inventory.locate(name);
            List<Change> history = inventory.history(name);
            return Response.ok(Templates.entity(page, view(entity, location, history)).render()).build();
        } catch (MaestroApiException e) {
            page.banner(problem(e));
            int status = ServiceProblems.status(e);
            return Response.status(status).entity(Templates.entity(page, null).render()).build();
        }
    }

    /** The drawing of a rack, fetched with the user's token: the page shows it as an image of the console's own origin. */
    @GET
    @Path("entities/{name}/elevation.svg")
    @Produces("image/svg+xml")
    public Response elevation(@PathParam("name") String name) {
        ConsoleSession session = current.get();
        try {
            return Response.ok(clients.inventory(session.token()).rackElevation(name)).build();
        } catch (MaestroApiException e) {
            return Response.status(ServiceProblems.status(e)).type(MediaType.TEXT_PLAIN).entity(problem(e)).build();
        }
    }

    @GET
    @Path("ip-ranges")
    public Response ranges(@QueryParam("cursor") String cursor) {
        ConsoleSession session = current.get();
        Page page = Page.of(session, "IP ranges", "Inventory");
        List<RangeRow> rows = List.of();
        String next = null;
        int status = 200;
        try {
            Inventory.RangePage found = clients.inventory(session.token()).ipRanges(cursor == null || cursor.isBlank() ? null : cursor, PAGE_SIZE);
            rows = found.items().stream().map(r -> new RangeRow(r.name(), r.cidr(), r.hosts().toString(), r.allocated(), r.utilisation())).toList();
            next = found.nextCursor();
        } catch (MaestroApiException e) {
            page.banner(problem(e));
            status = ServiceProblems.status(e);
        }
        return Response.status(status).entity(Templates.ranges(page, rows, next, cursor == null || cursor.isBlank()).render()).build();
    }

    @GET
    @Path("allocate")
    public Response allocateForm() {
        ConsoleSession session = current.get();
        Page page = Page.of(session, "Allocate", "Inventory");
        if (!session.may("inventory:allocate")) {
            page.banner("this token may not allocate (it needs inventory:allocate)");
        }
        return Response.ok(Templates.allocate(page, new AllocationForm("", "1", "", "", ""), null, null, false).render()).build();
    }

    /**
     * {@code action=preview}: the inventory answers what it would choose now (a dry run, nothing written), shown with
     * the form kept; {@code action=allocate}: the allocation, all or nothing, and what was chosen.
     */
    @POST
    @Path("allocate")
    public Response allocate(@FormParam("csrf") String csrf, @FormParam("action") String action, @FormParam("query") String query,
                             @FormParam("count") String count, @FormParam("spreadBy") String spreadBy, @FormParam("pool") String pool,
                             @FormParam("attributes") String attributes) {
        ConsoleSession session = current.get();
        Page page = Page.of(session, "Allocate", "Inventory");
        Sessions.requireCsrf(session, csrf);
        AllocationForm form = new AllocationForm(strip(query), strip(count), strip(spreadBy), strip(pool), attributes == null ? "" : attributes);
        int wanted;
        try {
            wanted = Integer.parseInt(form.count());
        } catch (NumberFormatException e) {
            return refused(page, form, "count: must be a whole number");
        }
        Map<String, Object> assigned = new LinkedHashMap<>();
        String[] lines = form.attributes().split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            int equals = line.indexOf('=');
            if (equals < 1) {
                return refused(page, form, "attributes, line " + (i + 1) + ": must be key=value");
            }
            assigned.put(line.substring(0, equals).strip(), line.substring(equals + 1).strip());
        }
        try {
            Inventory.Allocate allocation = clients.inventory(session.token()).allocate(form.query(), wanted);
            if (!form.spreadBy().isEmpty()) {
                allocation.spreadBy(form.spreadBy());
            }
            if (!form.pool().isEmpty()) {
                allocation.assignToPool(form.pool());
            }
            if (!assigned.isEmpty()) {
                allocation.assignAttributes(assigned);
            }
            boolean commit = "allocate".equals(action);
            List<Row> chosen = (commit ? allocation.commit() : allocation.preview()).stream().map(InventoryResource::row).toList();
            return Response.ok(Templates.allocate(page, form, null, chosen, commit).render()).build();
        } catch (MaestroApiException e) {
            String why = ServiceProblems.forForm("inventory-service", e);
            return Response.status(ServiceProblems.status(e)).entity(Templates.allocate(page, form, why, null, false).render()).build();
        }
    }

    private static Response refused(Page page, AllocationForm form, String error) {
        return Response.status(400).entity(Templates.allocate(page, form, error, null, false).render()).build();
    }

    private static String strip(String value) {
        return value == null ? "" : value.strip();
    }

    static Row row(Entity entity) {
        String summary = String.join(", ", entity.attributes().stream().limit(6)
                .map(a -> a.key() + (a.subkey() == null ? "" : "." + a.subkey()) + "=" + text(a.value())).toList());
        return new Row(entity.name(), entity.type(), entity.parent(), entity.pools(), summary);
    }

    static EntityView view(Entity entity, Location location, List<Change> history) {
        List<HistoryEntry> entries = new ArrayList<>();
        for (Change change : history) {
            entries.add(new HistoryEntry(change.occurredAt(), change.op(), change.version(), change.actor(),
                    differences(change.before(), change.after())));
        }
        List<Location.Link> chain = location.chain() == null ? List.of() : location.chain();
        return new EntityView(entity.name(), entity.type(), entity.version(), entity.createdAt(), entity.updatedAt(),
                entity.parent(), attributes(entity), chain, entity.connections(), entity.pools(), entity.addresses(), entries);
    }

    private static List<Attribute> attributes(Entity entity) {
        return entity.attributes().stream()
                .map(a -> new Attribute(a.key(), a.subkey(), a.number(), a.type(), text(a.value()))).toList();
    }

    /** What a change made different: the parent, pools, connections, addresses and each attribute, before and after. */
    static List<Difference> differences(Entity before, Entity after) {
        Map<String, String> was = facts(before);
        Map<String, String> is = facts(after);
        Set<String> names = new LinkedHashSet<>(was.keySet());
        names.addAll(is.keySet());
        List<Difference> differences = new ArrayList<>();
        for (String name : names) {
            String a = was.get(name);
            String b = is.get(name);
            if (!Objects.equals(a, b)) {
                differences.add(new Difference(name, a, b));
            }
        }
        return differences;
    }

    private static Map<String, String> facts(Entity entity) {
        Map<String, String> facts = new LinkedHashMap<>();
        if (entity == null) {
            return facts;
        }
        facts.put("type", entity.type());
        if (entity.parent() != null) {
            facts.put("parent", entity.parent());
        }
        if (!entity.pools().isEmpty()) {
            facts.put("pools", String.join(", ", entity.pools()));
        }
        if (!entity.connections().isEmpty()) {
            facts.put("connections", String.join(", ", entity.connections().stream()
                    .map(c -> c.port() + " → " + c.entity() + ":" + c.remotePort()).toList()));
        }
        if (!entity.addresses().isEmpty()) {
            facts.put("addresses", String.join(", ", entity.addresses().stream().map(Entity.Address::address).toList()));
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (Entity.Attribute a : entity.attributes()) {
            String key = a.key() + (a.subkey() == null ? "" : "." + a.subkey()) + (a.number() == null ? "" : "#" + a.number());
            values.computeIfAbsent(key, k -> new ArrayList<>()).add(text(a.value()));
        }
        values.forEach((key, list) -> facts.put("attr " + key, String.join(", ", list)));
        return facts;
    }

    private static String text(JsonNode value) {
        return value == null || value.isNull() ? "" : value.isTextual() ? value.asText() : value.toString();
    }

    /** The expression's error when the inventory refused {@code q}, else null. */
    static QueryError queryError(String q, MaestroApiException e) {
        if (e.status() != 400) {
            return null;
        }
        return e.errors().stream().filter(error -> "q".equals(error.field())).findFirst().map(error -> {
            Matcher at = POSITION.matcher(error.rule());
            return new QueryError(q, at.find() ? Math.min(Integer.parseInt(at.group(1)), q.length()) : q.length(), error.rule());
        }).orElse(null);
    }

    private static String problem(MaestroApiException e) {
        return ServiceProblems.describe("inventory-service", e);
    }
}
