package io.maestro.inventory.transfer;

import io.maestro.inventory.AttributeValue;
import io.maestro.inventory.config.InventoryConfig;
import io.maestro.inventory.query.EntitySearch;
import io.maestro.inventory.query.SqlCompiler;
import io.maestro.inventory.repository.Row;
import io.maestro.inventory.repository.Statements;
import io.maestro.inventory.repository.Transactions;
import io.maestro.support.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code GET /v1/entities?q=...&format=csv|yaml}: every entity matching q in the shape an import reads, in three
 * statements (entities with their position and pools, their attributes, their connections), ordered by name.
 */
@ApplicationScoped
public class EntityExport {
    public enum Format {
        CSV, YAML;

        /** {@code null} for the JSON page of a search (no format, or {@code json}). */
        public static Format of(String text) {
            if (text == null || text.isBlank() || text.equals("json")) {
                return null;
            }
            return switch (text) {
                case "csv" -> CSV;
                case "yaml" -> YAML;
                default -> throw ProblemException.invalid("format", "must be json, csv or yaml");
            };
        }

        public String mediaType() {
            return this == CSV ? CsvFormat.MEDIA_TYPE : YamlFormat.MEDIA_TYPE;
        }
    }

    private final Statements sql;
    private final EntitySearch search;
    private final InventoryConfig config;

    public EntityExport(Statements sql, EntitySearch search, InventoryConfig config) {
        this.sql = sql;
        this.search = search;
        this.config = config;
    }

    public Uni<String> export(String q, Format format) {
        int max = config.transfer().maxRows();
        List<Object> params = new ArrayList<>();
        String condition = q == null || q.isBlank() ? "true" : new SqlCompiler(params).condition(search.parse(q, "q"));
        params.add(max + 1);
        String entities = """
                select e.id, e.name, e.type, p.name, c.unit, c.height,
                       (select string_agg(pe.name, ';' order by pe.name) from pool_member pm join entity pe on pe.id = pm.pool_id where pm.entity_id = e.id)
                from entity e left join containment c on c.child_id = e.id left join entity p on p.id = c.parent_id
                where\s""" + condition + " order by e.name limit ?" + params.size();
        return Transactions.search(config.query().timeout(), () -> sql.rows(entities, params.toArray()).chain(rows -> {
            if (rows.size() > max) {
                throw ProblemException.invalid("q", "matches more than " + max + " entities, more than an import takes; narrow it");
            }
            UUID[] ids = rows.stream().map(r -> r.uuid(0)).toArray(UUID[]::new);
            Map<UUID, List<AttributeValue>> attributes = new HashMap<>();
            Map<UUID, List<ImportRow.Link>> links = new HashMap<>();
            return sql.rows("""
                            select entity_id, key, subkey, number, value_type, text_value, number_value from attribute
                            where entity_id = any(cast(?1 as uuid[])) order by entity_id, key, subkey nulls first, number nulls first, id""", (Object) ids)
                    .invoke(found -> found.forEach(r -> attributes.computeIfAbsent(r.uuid(0), id -> new ArrayList<>()).add(value(r))))
                    .chain(() -> sql.rows("""
                            select c.entity_id, c.port, peer.name, c.peer_port from cable_peer c join entity peer on peer.id = c.peer_id
                            where c.entity_id = any(cast(?1 as uuid[])) order by c.entity_id, c.port""", (Object) ids))
                    .invoke(found -> found.forEach(r -> links.computeIfAbsent(r.uuid(0), id -> new ArrayList<>())
                            .add(new ImportRow.Link(r.string(1), r.string(2), r.string(3), null))))
                    .map(v -> rows.stream().map(r -> new ExportRow(r.string(1), r.string(2), r.string(3), r.integer(4), r.integer(5),
                            r.isNull(6) ? List.of() : Arrays.asList(r.string(6).split(";")),
                            links.getOrDefault(r.uuid(0), List.of()), attributes.getOrDefault(r.uuid(0), List.of()))).toList());
        })).map(rows -> format == Format.CSV ? CsvFormat.write(rows) : YamlFormat.write(rows));
    }

    private static AttributeValue value(Row r) {
        BigDecimal number = r.isNull(6) ? null : r.decimal(6);
        return new AttributeValue(r.string(1), r.string(2), r.integer(3), r.string(4), r.string(5), number);
    }
}
