package io.maestro.cli.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.Http;
import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** clusto's verbs over the inventory-service. */
@Command(name = "inv", description = "The datacenter inventory: entities, attributes, racks, ports, queries, allocation, IPs (clusto).",
        subcommands = {InventoryCommand.Add.class, InventoryCommand.Show.class, AttributeCommand.class, InventoryCommand.Insert.class,
                InventoryCommand.Connect.class, InventoryCommand.Locate.class, InventoryCommand.Query.class,
                InventoryCommand.Allocate.class, IpCommand.class, InventoryCommand.History.class},
        footer = {"%nExamples:%n  maestro inv add server s1 --attr memory=64",
                "  maestro inv insert rack101 s1 --unit 13 --height 2",
                "  maestro inv query 'type:server and in:dcz and not pool:allocated'"})
public class InventoryCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "an inventory command is required");
    }

    /** {@code memory=64} -> {key: memory, value: 64}; {@code nic.eth0=up} -> {key: nic, subkey: eth0, value: "up"}. */
    static Map<String, Object> attribute(String key, String value) {
        Map<String, Object> attribute = new LinkedHashMap<>();
        int dot = key.indexOf('.');
        attribute.put("key", dot < 0 ? key : key.substring(0, dot));
        if (dot >= 0) {
            attribute.put("subkey", key.substring(dot + 1));
        }
        if (value != null) {
            attribute.put("value", typed(value));
        }
        return attribute;
    }

    /** A number or boolean when the text is one, so {@code memory=64} compares as a number in queries. */
    static Object typed(String value) {
        if (value.matches("-?\\d{1,18}")) {
            return Long.parseLong(value);
        }
        if (value.matches("-?\\d+\\.\\d+")) {
            return new java.math.BigDecimal(value);
        }
        if (value.equals("true") || value.equals("false")) {
            return Boolean.parseBoolean(value);
        }
        return value;
    }

    static void entityTable(Output output, JsonNode entities) {
        List<List<String>> rows = new ArrayList<>();
        entities.forEach(e -> rows.add(List.of(e.path("name").asText(), e.path("type").asText(), e.path("version").asText("-"))));
        output.table(List.of("NAME", "TYPE", "VERSION"), rows);
    }

    @Command(name = "add", description = "Create an entity.", footer = {"%nExamples:%n  maestro inv add server s1 --attr memory=64 --attr os=debian",
            "  maestro inv add rack rack101"})
    public static class Add extends ServiceCall {
        @Parameters(index = "0", paramLabel = "TYPE", description = "datacenter, rack, server, switch, pdu, pool, ...")
        String type;
        @Parameters(index = "1", paramLabel = "NAME", description = "a unique name")
        String name;
        @Option(names = "--attr", paramLabel = "KEY[.SUBKEY]=VALUE", description = "an attribute (repeatable)")
        Map<String, String> attributes = new LinkedHashMap<>();
        @Mixin
        Output output;

        @Override
        public void run() {
            List<Map<String, Object>> list = new ArrayList<>();
            attributes.forEach((k, v) -> list.add(attribute(k, v)));
            JsonNode created = inventory().post("/v1/entities", Map.of("name", name, "type", type, "attributes", list));
            if (output.json) {
                output.json(created);
            } else {
                output.out().printf("added %s %s%n", type, name);
                output.out().flush();
            }
        }
    }

    @Command(name = "show", description = "Show an entity with its attributes.", footer = {"%nExample:%n  maestro inv show s1 --json"})
    public static class Show extends ServiceCall {
        @Parameters(paramLabel = "NAME")
        String name;
        @Mixin
        Output output;

        @Override
        public void run() {
            JsonNode entity = inventory().get("/v1/entities/" + Http.encode(name));
            if (output.json) {
                output.json(entity);
                return;
            }
            output.out().printf("%s (%s, version %s)%n", entity.path("name").asText(), entity.path("type").asText(), entity.path("version").asText());
            AttributeCommand.attributeTable(output, entity.path("attributes"));
        }
    }

    @Command(name = "insert", description = "Put an entity inside another, at a rack unit.",
            footer = {"%nExample:%n  maestro inv insert rack101 s1 --unit 13 --height 2"})
    public static class Insert extends ServiceCall {
        @Parameters(index = "0", paramLabel = "PARENT")
        String parent;
        @Parameters(index = "1", paramLabel = "CHILD")
        String child;
        @Option(names = "--unit", paramLabel = "U", description = "the lowest rack unit it occupies")
        Integer unit;
        @Option(names = "--height", paramLabel = "H", description = "rack units it occupies (default 1)")
        Integer height;

        @Override
        public void run() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("child", child);
            if (unit != null) {
                Map<String, Object> position = new LinkedHashMap<>();
                position.put("unit", unit);
                position.put("height", height == null ? 1 : height);
                body.put("position", position);
            }
            inventory().post("/v1/entities/" + Http.encode(parent) + "/contents", body);
            spec.commandLine().getOut().printf("%s -> %s%s%n", child, parent, unit == null ? "" : " at RU" + unit);
            spec.commandLine().getOut().flush();
        }
    }

    @Command(name = "connect", description = "Connect a port of one entity to a port of another.",
            footer = {"%nExample:%n  maestro inv connect s1:eth0 switch2a:4"})
    public static class Connect extends ServiceCall {
        @Parameters(index = "0", paramLabel = "ENTITY:PORT")
        String a;
        @Parameters(index = "1", paramLabel = "ENTITY:PORT")
        String b;

        @Override
        public void run() {
            inventory().post("/v1/connections", Map.of("a", port(a), "b", port(b)));
            spec.commandLine().getOut().printf("%s <-> %s%n", a, b);
            spec.commandLine().getOut().flush();
        }

        private Map<String, String> port(String ref) {
            int colon = ref.lastIndexOf(':');
            if (colon <= 0 || colon == ref.length() - 1) {
                throw new ParameterException(spec.commandLine(), "expected ENTITY:PORT but got '" + ref + "'");
            }
            return Map.of("entity", ref.substring(0, colon), "port", ref.substring(colon + 1));
        }
    }

    @Command(name = "locate", description = "Where an entity is: its containment chain and its port connections.",
            footer = {"%nExample:%n  maestro inv locate s1", "  s1 -> RU13 in rack101", "  s1 -> port 4 on switch2a"})
    public static class Locate extends ServiceCall {
        @Parameters(paramLabel = "NAME")
        String name;
        @Mixin
        Output output;

        @Override
        public void run() {
            JsonNode location = inventory().get("/v1/entities/" + Http.encode(name) + "/location");
            if (output.json) {
                output.json(location);
                return;
            }
            String current = name;
            for (JsonNode hop : location.path("chain")) {
                String where = hop.path("unit").isNumber() ? "RU" + hop.path("unit").asText() + " in " : "in ";
                output.out().printf("%s -> %s%s%n", current, where, hop.path("entity").asText());
                current = hop.path("entity").asText();
            }
            for (JsonNode connection : location.path("connections")) {
                output.out().println(name + " -> " + describe(connection));
            }
            output.out().flush();
        }

        /** {@code port 4 on switch2a (from eth0)}: each connection names this entity's port and the other end. */
        private static String describe(JsonNode connection) {
            return "port " + connection.path("remotePort").asText() + " on " + connection.path("entity").asText()
                    + " (from " + connection.path("port").asText() + ")";
        }
    }

    @Command(name = "query", description = "Find entities with the expression language.",
            footer = {"%nExamples:%n  maestro inv query 'type:server and in:dcz and not pool:allocated'",
                    "  maestro inv query 'name:web* or attr:memory>=64' --json"})
    public static class Query extends ServiceCall {
        @Parameters(paramLabel = "EXPRESSION")
        String expression;
        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "page size (default: ${DEFAULT-VALUE})")
        int limit;
        @Option(names = "--all", description = "follow the cursor through every page")
        boolean all;
        @Mixin
        Output output;

        @Override
        public void run() {
            var items = EventCodecHolder.array();
            String cursor = null;
            do {
                JsonNode page = inventory().get("/v1/entities?q=" + Http.encode(expression) + "&limit=" + limit
                        + (cursor == null ? "" : "&cursor=" + Http.encode(cursor)));
                page.path("items").forEach(items::add);
                cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
            } while (all && cursor != null);
            if (output.json) {
                output.json(items);
            } else {
                entityTable(output, items);
            }
        }
    }

    @Command(name = "allocate", description = "Pick COUNT matching entities and assign them, all or nothing.",
            footer = {"%nExample:%n  maestro inv allocate 4 'type:server and pool:unallocated and in:dcz' --spread-by rack --pool web"})
    public static class Allocate extends ServiceCall {
        @Parameters(index = "0", paramLabel = "COUNT")
        int count;
        @Parameters(index = "1", paramLabel = "EXPRESSION")
        String query;
        @Option(names = "--spread-by", paramLabel = "TYPE", description = "each under a different ancestor of this type, e.g. rack")
        String spreadBy;
        @Option(names = "--pool", paramLabel = "POOL", description = "put the chosen entities in this pool")
        String pool;
        @Option(names = "--idempotency-key", paramLabel = "KEY", description = "retrying with the same key returns the same result")
        String idempotencyKey;
        @Mixin
        Output output;

        @Override
        public void run() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("query", query);
            body.put("count", count);
            if (spreadBy != null) {
                body.put("spreadBy", spreadBy);
            }
            if (pool != null) {
                body.put("assign", Map.of("pool", pool));
            }
            body.put("idempotencyKey", idempotencyKey != null ? idempotencyKey : UUID.randomUUID().toString());
            JsonNode allocation = inventory().post("/v1/allocations", body);
            if (output.json) {
                output.json(allocation);
                return;
            }
            JsonNode entities = allocation.has("entities") ? allocation.path("entities") : allocation.path("items");
            entityTable(output, entities);
        }
    }

    @Command(name = "history", description = "The recorded changes of an entity, oldest first.", footer = {"%nExample:%n  maestro inv history s1"})
    public static class History extends ServiceCall {
        @Parameters(paramLabel = "NAME")
        String name;
        @Mixin
        Output output;

        @Override
        public void run() {
            JsonNode history = inventory().get("/v1/entities/" + Http.encode(name) + "/history");
            if (output.json) {
                output.json(history);
                return;
            }
            JsonNode items = history.isArray() ? history : history.path("items");
            List<List<String>> rows = new ArrayList<>();
            items.forEach(m -> rows.add(List.of(m.path("version").asText(), m.path("op").asText(), m.path("occurredAt").asText("-"))));
            output.table(List.of("VERSION", "OP", "AT"), rows);
        }
    }

    /** A JSON array builder without leaking Jackson node factories into every command. */
    static final class EventCodecHolder {
        static com.fasterxml.jackson.databind.node.ArrayNode array() {
            return io.maestro.events.EventCodec.mapper().createArrayNode();
        }

        private EventCodecHolder() {
        }
    }
}
