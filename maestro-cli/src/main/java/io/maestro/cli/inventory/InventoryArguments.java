package io.maestro.cli.inventory;

import io.maestro.cli.Output;
import io.maestro.client.inventory.AttributeValue;
import io.maestro.client.inventory.Entity;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What several inventory commands share: attributes from the command line, and the entity table they print. */
final class InventoryArguments {
    private InventoryArguments() {
    }

    /** {@code memory=64} -> key memory, value 64; {@code nic.eth0=up} -> key nic, subkey eth0, value "up". */
    static AttributeValue attribute(String key, String value) {
        int dot = key.indexOf('.');
        return new AttributeValue(dot < 0 ? key : key.substring(0, dot), dot < 0 ? null : key.substring(dot + 1),
                value == null ? null : typed(value));
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

    static void entityTable(Output output, List<Entity> entities) {
        List<List<String>> rows = new ArrayList<>();
        entities.forEach(e -> rows.add(List.of(e.name(), e.type(), Long.toString(e.version()))));
        output.table(List.of("NAME", "TYPE", "VERSION"), rows);
    }

    /** An entity's attributes, or those of one key. */
    /** The attributes as a table; with a FROM column when some are inherited (effective attributes). */
    static void attributeTable(Output output, List<Entity.Attribute> attributes) {
        boolean inherited = attributes.stream().anyMatch(a -> a.from() != null);
        List<List<String>> rows = new ArrayList<>();
        attributes.forEach(a -> {
            List<String> row = new ArrayList<>(Arrays.asList(a.key(), a.subkey() == null ? "-" : a.subkey(),
                    a.number() == null ? "-" : a.number().toString(),
                    a.value() == null ? "-" : a.value().isTextual() ? a.value().asText() : a.value().toString(), a.type() == null ? "-" : a.type()));
            if (inherited) {
                row.add(a.from() == null ? "-" : a.from());
            }
            rows.add(row);
        });
        output.table(inherited ? List.of("KEY", "SUBKEY", "NUMBER", "VALUE", "TYPE", "FROM") : List.of("KEY", "SUBKEY", "NUMBER", "VALUE", "TYPE"), rows);
    }
}
