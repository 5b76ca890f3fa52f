package io.maestro.cli.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.Output;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What several inventory commands share: attributes from the command line, and the entity table they print. */
final class InventoryArguments {
    private InventoryArguments() {
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
}
