package io.maestro.client.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.client.http.ClientBuilder;
import io.maestro.client.http.MaestroApiException;
import io.maestro.client.http.ServiceHttp;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * clusto's API over the inventory-service: get an entity by name, create one, its attributes, put it in a
 * container, connect ports, locate it, query with the expression language, allocate, pools. Every call is one
 * request through the SDK's transport; a refusal is a {@link MaestroApiException} naming the field and the rule.
 *
 * <pre>{@code
 * Inventory inv = Inventory.builder(URI.create("http://127.0.0.1:8083")).token(token).build();
 * inv.create("s1", "server", Map.of("memory", 64));
 * inv.insert("rack101", "s1", 13, 2);
 * List<Entity> four = inv.allocate("type:server and in:dcz and attr:status=unallocated", 4).spreadBy("rack")
 *         .assignToPool("web").commit();
 * }</pre>
 */
public final class Inventory {
    private final ServiceHttp http;
    /** Sent as {@code ?note=} with every change of entities (kept in their history and change events); null: none. */
    private final String note;

    private Inventory(ServiceHttp http, String note) {
        this.http = http;
        this.note = note;
    }

    /**
     * This inventory, whose every change of entities carries {@code note} (a ticket, a reason: 1 to 1024 characters
     * without control characters but tab), kept in their history and in the change events; the same transport.
     * {@code inv.withNote("OPS-42").setAttribute("s1", "status", "retired")}.
     */
    public Inventory withNote(String note) {
        return new Inventory(http, note);
    }

    /** {@code path} with this inventory's note, if it has one. */
    private String noted(String path) {
        return note == null ? path : path + (path.contains("?") ? "&" : "?") + "note=" + ServiceHttp.segment(note);
    }

    public static Builder builder(URI inventory) {
        return builder(List.of(inventory));
    }

    /** Several replicas of the inventory: a call that cannot reach one goes to the next. */
    public static Builder builder(List<URI> inventories) {
        if (inventories.isEmpty()) {
            throw new IllegalArgumentException("at least one inventory URL is needed");
        }
        return new Builder(List.copyOf(inventories));
    }

    /** The entity named {@code name}; a {@link MaestroApiException} with status 404 when there is none. */
    public Entity get(String name) {
        return http.read(http.get("v1/entities/" + ServiceHttp.segment(name)), Entity.class);
    }

    /**
     * {@code name} with its effective attributes (clusto's merge_container_attrs): its own, then its pools', then its
     * containers' from the nearest out; each inherited one names where it comes from ({@link Entity.Attribute#from()}).
     */
    public Entity effective(String name) {
        return http.read(http.get("v1/entities/" + ServiceHttp.segment(name) + "?effective=true"), Entity.class);
    }

    /** Creates an entity with attributes given as key → value ({@code "memory" -> 64}; a {@code List} gives several values). */
    public Entity create(String name, String type, Map<String, ?> attributes) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("type", type);
        body.put("attributes", attributes(attributes));
        return http.read(http.post(noted("v1/entities"), body), Entity.class);
    }

    public Entity create(String name, String type) {
        return create(name, type, Map.of());
    }

    /** Creates an entity with attribute values that may have subkeys ({@code nic.eth0 = up}). */
    public Entity create(String name, String type, List<AttributeValue> attributes) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("type", type);
        body.put("attributes", attributes.stream().map(Inventory::attribute).toList());
        return http.read(http.post(noted("v1/entities"), body), Entity.class);
    }

    /** Deletes an entity (refused while it contains others or another's attribute refers to it). */
    public void delete(String name) {
        http.delete(noted("v1/entities/" + ServiceHttp.segment(name)));
    }

    /** Adds a value of attribute {@code key} (clusto's {@code add_attr}); answers the entity after. */
    public Entity addAttribute(String name, String key, Object value) {
        return addAttribute(name, AttributeValue.of(key, value));
    }

    /** Adds an attribute value, with its subkey if it has one; answers the entity after. */
    public Entity addAttribute(String name, AttributeValue value) {
        return http.read(http.post(noted("v1/entities/" + ServiceHttp.segment(name) + "/attributes"), attribute(value)), Entity.class);
    }

    /** Replaces every value of attribute {@code key} by {@code value} (clusto's {@code set_attr}). */
    public Entity setAttribute(String name, String key, Object value) {
        return setAttribute(name, AttributeValue.of(key, value));
    }

    /** Replaces every value of the value's key (and subkey) by it. */
    public Entity setAttribute(String name, AttributeValue value) {
        return http.read(http.put(noted("v1/entities/" + ServiceHttp.segment(name) + "/attributes/" + ServiceHttp.segment(value.key())),
                attribute(value)), Entity.class);
    }

    /** Deletes every value of attribute {@code key} (clusto's {@code del_attrs}). */
    public Entity deleteAttribute(String name, String key) {
        return http.read(http.delete(noted("v1/entities/" + ServiceHttp.segment(name) + "/attributes/" + ServiceHttp.segment(key))), Entity.class);
    }

    /** Deletes the values of attribute {@code key} equal to {@code value} (as text), keeping its others. */
    public Entity deleteAttribute(String name, String key, String value) {
        return http.read(http.delete(noted("v1/entities/" + ServiceHttp.segment(name) + "/attributes/" + ServiceHttp.segment(key)
                + "?value=" + ServiceHttp.segment(value))), Entity.class);
    }

    /** Puts {@code child} into {@code container} at rack unit {@code unit}, {@code height} units tall. */
    public void insert(String container, String child, int unit, int height) {
        http.post(noted("v1/entities/" + ServiceHttp.segment(container) + "/contents"), Map.of("child", child, "position", Map.of("unit", unit, "height", height)));
    }

    /** Puts {@code child} into {@code container} without a position (a rack into a datacenter). */
    public void insert(String container, String child) {
        http.post(noted("v1/entities/" + ServiceHttp.segment(container) + "/contents"), Map.of("child", child));
    }

    /** Connects port {@code portA} of {@code a} to port {@code portB} of {@code b}; a port takes one connection. */
    public void connect(String a, String portA, String b, String portB) {
        http.post(noted("v1/connections"), Map.of("a", Map.of("entity", a, "port", portA), "b", Map.of("entity", b, "port", portB)));
    }

    /** Where {@code name} is: its containment chain and its connections. */
    public Location locate(String name) {
        return http.read(http.get("v1/entities/" + ServiceHttp.segment(name) + "/location"), Location.class);
    }

    /**
     * Where port {@code port} of {@code entity} leads: its connection, and on through every patch panel (an entity whose
     * type {@link #definePassThrough passes connections through}) to the far end.
     */
    public Trace trace(String entity, String port) {
        return http.read(http.get("v1/entities/" + ServiceHttp.segment(entity) + "/ports/" + ServiceHttp.segment(port) + "/trace"), Trace.class);
    }

    /**
     * The ports of {@code entity}: those its type declared and those it is cabled on, each with the port at the other
     * end of its cable. An entity with declared ports is cabled on those only.
     */
    public Ports ports(String entity) {
        return http.read(http.get("v1/entities/" + ServiceHttp.segment(entity) + "/ports"), Ports.class);
    }

    /**
     * Entities of {@code type} pass connections through: port {@code front + x} is wired inside to port {@code rear + x}.
     * Replaces the type's definition: its attribute rules and port templates, if it had any, are gone
     * ({@link #defineType} sets every part).
     */
    public EntityType definePassThrough(String type, String front, String rear) {
        return defineType(type, new EntityType.PassThrough(front, rear), null);
    }

    /**
     * Defines {@code type} (or replaces its definition): pass-through ports (null: none) and the rules of its entities'
     * attributes by key (null: none), which every write then keeps. The answer names the entities that break the
     * rules now ({@link EntityType#violations()}); they stay as they are until their next change, which must mend them.
     */
    public EntityType defineType(String type, EntityType.PassThrough passThrough, Map<String, EntityType.AttributeRule> attributes) {
        return defineType(type, passThrough, attributes, null);
    }

    /**
     * {@link #defineType(String, EntityType.PassThrough, Map)} with port templates (null: none): each a port name or
     * one with a numeric range ({@code "[1-48]"}, {@code "eth[01-04]"}). Every entity of the type gets those ports
     * (the existing ones now, with the ports they are cabled on) and is cabled on its declared ports only.
     */
    public EntityType defineType(String type, EntityType.PassThrough passThrough, Map<String, EntityType.AttributeRule> attributes,
                                 List<String> ports) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (ports != null) {
            body.put("ports", ports);
        }
        if (passThrough != null) {
            body.put("passThrough", Map.of("front", passThrough.front(), "rear", passThrough.rear()));
        }
        if (attributes != null) {
            body.put("attributes", attributes);
        }
        return http.read(http.put("v1/types/" + ServiceHttp.segment(type), body), EntityType.class);
    }

    /** What the inventory knows about {@code type}; a type nobody defined is a 404 {@link MaestroApiException}. */
    public EntityType type(String type) {
        return http.read(http.get("v1/types/" + ServiceHttp.segment(type)), EntityType.class);
    }

    /** Every change of {@code name}, oldest first (also of an entity since deleted): clusto's history. */
    public List<Change> history(String name) {
        return http.readList(http.get("v1/entities/" + ServiceHttp.segment(name) + "/history"), Change.class);
    }

    /** Creates an IP range ({@code 10.0.0.0/24}) that entities get addresses from. */
    public IpRange addRange(String name, String cidr) {
        return http.read(http.post("v1/ip-ranges", Map.of("name", name, "cidr", cidr)), IpRange.class);
    }

    /** The drawing of rack {@code name}, unit by unit with its devices, as SVG. */
    public String rackElevation(String name) {
        return http.getText("v1/racks/" + ServiceHttp.segment(name) + "/elevation.svg", "image/svg+xml");
    }

    /** One page of IP ranges with their utilisation, by name. */
    public record RangePage(List<IpRangeUsage> items, String nextCursor) {
        public RangePage {
            items = items == null ? List.of() : List.copyOf(items);
        }
    }

    /** At most {@code limit} (1 to 1,000) IP ranges by name from {@code cursor} (null: the first page), each with its utilisation. */
    public RangePage ipRanges(String cursor, int limit) {
        JsonNode answer = http.get("v1/ip-ranges?limit=" + limit + (cursor == null ? "" : "&cursor=" + ServiceHttp.segment(cursor)));
        List<IpRangeUsage> items = new ArrayList<>();
        for (JsonNode item : answer.path("items")) {
            items.add(http.read(item, IpRangeUsage.class));
        }
        return new RangePage(items, answer.path("nextCursor").isTextual() ? answer.get("nextCursor").asText() : null);
    }

    /** Gives {@code entity} the next free address of {@code range}. */
    public Entity.Address allocateAddress(String range, String entity) {
        return http.read(http.post(noted("v1/ip-ranges/" + ServiceHttp.segment(range) + "/allocations"), Map.of("entity", entity)), Entity.Address.class);
    }

    /** Puts {@code entity} into pool {@code pool} (created when missing). */
    public void addToPool(String pool, String entity) {
        http.put(noted("v1/pools/" + ServiceHttp.segment(pool) + "/members/" + ServiceHttp.segment(entity)), null);
    }

    public void removeFromPool(String pool, String entity) {
        http.delete(noted("v1/pools/" + ServiceHttp.segment(pool) + "/members/" + ServiceHttp.segment(entity)));
    }

    /** The file formats of {@link #importing} and {@link #export}. */
    public enum FileFormat {
        CSV("text/csv", "csv"), YAML("application/yaml", "yaml");

        private final String mediaType;
        private final String parameter;

        FileFormat(String mediaType, String parameter) {
            this.mediaType = mediaType;
            this.parameter = parameter;
        }

        /** The format of a file by its name's ending: .csv, else .yaml or .yml; null when neither. */
        public static FileFormat ofFileName(String name) {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            return lower.endsWith(".csv") ? CSV : lower.endsWith(".yaml") || lower.endsWith(".yml") ? YAML : null;
        }
    }

    /**
     * An import of {@code content} ({@code POST /v1/import}): the entities its rows name are created or changed (type,
     * the attributes of the keys a row names, position, pools joined, cables made); nothing is deleted. Atomic unless
     * {@link Import#perRow()}; {@link Import#dryRun()} reports without writing.
     */
    public Import importing(FileFormat format, byte[] content) {
        return new Import(format, content);
    }

    /** An import being prepared; {@link #commit()} or {@link #dryRun()} sends it. */
    public final class Import {
        private final FileFormat format;
        private final byte[] content;
        private boolean perRow;
        private String note;

        private Import(FileFormat format, byte[] content) {
            this.format = format;
            this.content = content.clone();
        }

        /** Writes the rows that can be written and reports the refused ones, instead of refusing the whole import. */
        public Import perRow() {
            this.perRow = true;
            return this;
        }

        /** Why: kept with every change in the history and the published InventoryMutation (instead of {@link #withNote}'s). */
        public Import note(String note) {
            this.note = note;
            return this;
        }

        /**
         * Imports; a refused row of an atomic import is a {@link MaestroApiException} (400) whose errors name each
         * refused row's line and column, and nothing is written.
         */
        public ImportReport commit() {
            return send(false);
        }

        /** What the import would do, row by row; nothing is written. */
        public ImportReport dryRun() {
            return send(true);
        }

        private ImportReport send(boolean dryRun) {
            String why = note != null ? note : Inventory.this.note;
            String query = "mode=" + (perRow ? "per-row" : "atomic") + (dryRun ? "&dryRun=true" : "")
                    + (why == null ? "" : "&note=" + ServiceHttp.segment(why));
            return http.read(http.sendBytes("POST", "v1/import?" + query, format.mediaType, content), ImportReport.class);
        }
    }

    /**
     * Every entity matching {@code expression} (blank: every entity; at most 50,000) in {@code format}, as
     * {@link #importing} reads it: importing it again changes nothing.
     */
    public String export(String expression, FileFormat format) {
        return http.getText("v1/entities?format=" + format.parameter
                + (expression == null || expression.isBlank() ? "" : "&q=" + ServiceHttp.segment(expression)), format.mediaType);
    }

    /** One page of a query's entities, and the cursor of the next page (null after the last). */
    public record Page(List<Entity> items, String nextCursor) {
        public Page {
            items = items == null ? List.of() : List.copyOf(items);
        }
    }

    /**
     * One page of the entities matching {@code expression} (blank: every entity), in name order: at most {@code limit}
     * (1 to 1,000) from {@code cursor} (null: the first page). For a program that shows one page at a time (the
     * console); an expression the inventory refuses is a {@link MaestroApiException} (400) whose error on {@code q}
     * names the position.
     */
    public Page page(String expression, String cursor, int limit) {
        JsonNode answer = http.get("v1/entities?limit=" + limit
                + (expression == null || expression.isBlank() ? "" : "&q=" + ServiceHttp.segment(expression))
                + (cursor == null ? "" : "&cursor=" + ServiceHttp.segment(cursor)));
        List<Entity> items = new ArrayList<>();
        for (JsonNode item : answer.path("items")) {
            items.add(http.read(item, Entity.class));
        }
        return new Page(items, answer.path("nextCursor").isTextual() ? answer.get("nextCursor").asText() : null);
    }

    /**
     * The entities matching {@code expression} ({@code type:server and in:dcz and not pool:allocated}), in name order,
     * read page by page as the stream is consumed (each page one request of up to 100). The first page is read
     * here, so an expression the inventory refuses is a {@link MaestroApiException} (400, naming the position) at
     * once, not at the first use of the stream.
     */
    public Stream<Entity> query(String expression) {
        Iterator<Entity> pages = new Iterator<>() {
            private List<Entity> page = List.of();
            private int next;
            private String cursor;
            private boolean last;

            @Override
            public boolean hasNext() {
                while (next == page.size() && !last) {
                    Page answer = page(expression, cursor, 100);
                    page = answer.items();
                    next = 0;
                    cursor = answer.nextCursor();
                    last = cursor == null;
                }
                return next < page.size();
            }

            @Override
            public Entity next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.get(next++);
            }
        };
        pages.hasNext(); // the first page now: a refused expression fails here
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages, Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /** Starts an allocation of {@code count} entities matching {@code query}; nothing happens before {@link Allocate#commit()}. */
    public Allocate allocate(String query, int count) {
        return new Allocate(this, query, count);
    }

    /** "{@code count} servers in datacenter Z, each in a different rack", all or nothing, race-free on the service. */
    public static final class Allocate {
        private final Inventory inventory;
        private final Map<String, Object> body = new LinkedHashMap<>();
        private final Map<String, Object> assign = new LinkedHashMap<>();

        private Allocate(Inventory inventory, String query, int count) {
            this.inventory = inventory;
            body.put("query", query);
            body.put("count", count);
        }

        /** Each entity under a different container of this type (a {@code rack}, a {@code datacenter}). */
        public Allocate spreadBy(String containerType) {
            body.put("spreadBy", containerType);
            return this;
        }

        /** The chosen entities join this pool (and are no longer candidates of allocations into it). */
        public Allocate assignToPool(String pool) {
            assign.put("pool", pool);
            return this;
        }

        /** The chosen entities get these attributes (replacing the values of the same keys). */
        public Allocate assignAttributes(Map<String, ?> attributes) {
            assign.put("attributes", attributes(attributes));
            return this;
        }

        /** A key that makes a retried allocation answer the first one's result instead of allocating again. */
        public Allocate idempotencyKey(String key) {
            body.put("idempotencyKey", key);
            return this;
        }

        /** Allocates; a {@link MaestroApiException} with status 409 when too few entities match (nothing is allocated). */
        public List<Entity> commit() {
            return send(false);
        }

        /**
         * What {@link #commit()} would allocate now, as the entities would then be (in the pool, with the attributes);
         * nothing is written, and a later commit may choose others if the inventory changed in between.
         */
        public List<Entity> preview() {
            return send(true);
        }

        private List<Entity> send(boolean dryRun) {
            if (!assign.isEmpty()) {
                body.put("assign", assign);
            }
            List<Entity> entities = new ArrayList<>();
            for (JsonNode entity : inventory.http.post(inventory.noted("v1/allocations" + (dryRun ? "?dryRun=true" : "")), body).path("entities")) {
                entities.add(inventory.http.read(entity, Entity.class));
            }
            return List.copyOf(entities);
        }
    }

    private static List<Map<String, Object>> attributes(Map<String, ?> attributes) {
        List<Map<String, Object>> list = new ArrayList<>();
        attributes.forEach((key, value) -> {
            for (Object one : value instanceof List<?> values ? values : List.of(value)) {
                list.add(Map.of("key", key, "value", one));
            }
        });
        return list;
    }

    private static Map<String, Object> attribute(AttributeValue value) {
        Map<String, Object> attribute = new LinkedHashMap<>();
        attribute.put("key", value.key());
        if (value.subkey() != null) {
            attribute.put("subkey", value.subkey());
        }
        if (value.value() != null) {
            attribute.put("value", value.value());
        }
        return attribute;
    }



    public static final class Builder extends ClientBuilder<Builder> {
        private final List<URI> inventories;
        private Duration requestTimeout = Duration.ofSeconds(30);

        private Builder(List<URI> inventories) {
            this.inventories = inventories;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        public Inventory build() {
            return new Inventory(transport("inventory-service", inventories, requestTimeout), null);
        }
    }
}
