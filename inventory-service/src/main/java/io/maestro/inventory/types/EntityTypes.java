package io.maestro.inventory.types;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.inventory.AttributeValue;
import io.maestro.inventory.port.PortTemplates;
import io.maestro.inventory.repository.PgErrors;
import io.maestro.inventory.repository.Row;
import io.maestro.inventory.repository.Statements;
import io.maestro.inventory.repository.Transactions;
import io.maestro.support.problem.ProblemException;
import io.maestro.support.validation.MaestroName;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Valid;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The type registry ({@code /v1/types}): what the inventory knows about an entity type beyond its name: whether its
 * entities pass connections through (patch panels) and how their ports pair, for the connection trace; and the rules
 * of their attributes (type, required, pattern, choices, min, max, unique), which every write keeps (EntityStore); and
 * their port templates, which migration V12 gives every entity of the type.
 */
@ApplicationScoped
public class EntityTypes {

    /**
     * {@code PUT /v1/types/{type}}. A field the registry does not know is a 400, not dropped as elsewhere: a caller
     * who sends rules the registry does not keep must not believe they hold.
     */
    @Schema(description = "What entities of the type are; every field optional. Replaces the type's earlier definition")
    public record TypeDefinition(@Schema(nullable = true, description = "Entities of this type pass connections through "
            + "(patch panels): port front+x is wired inside to port rear+x; null: they do not") @Valid PassThrough passThrough,
                                 @Schema(nullable = true, description = "The rules of attributes of entities of this type, by key "
                                         + "(each rule applies to every value of the key, whatever its subkey); every write keeps them")
                                 Map<String, AttributeRule> attributes,
                                 @Schema(nullable = true, description = "Port templates: the ports every entity of the type has, each a port name or "
                                         + "one with a numeric range (\"[1-48]\", \"eth[01-04]\", \"mgmt0\"); at most " + PortTemplates.MAX_PORTS
                                         + " ports. An entity gets them when created or given the type, and keeps them; it is then cabled on "
                                         + "its declared ports only. Entities of the type get the ones they lack now, and their cabled ports are "
                                         + "declared too") List<String> ports,
                                 @JsonAnySetter @Schema(hidden = true) Map<String, Object> unknown) {
    }

    @Schema(description = "How a pass-through entity's ports pair: the port named front + x with the port named rear + x "
            + "(front-1 with rear-1 for the prefixes front- and rear-); neither prefix may start the other")
    public record PassThrough(@MaestroName String front, @MaestroName String rear) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(description = "What the values of one attribute key must be on entities of the type; every field optional")
    public record AttributeRule(@Schema(nullable = true, enumeration = {"string", "integer", "decimal", "boolean", "timestamp", "reference"}) String type,
                                @Schema(nullable = true, description = "every entity of the type has a value of the key") Boolean required,
                                @Schema(nullable = true, description = "a regular expression (PostgreSQL's) each value's text matches in full; at most "
                                        + MAX_PATTERN + " characters") String pattern,
                                @Schema(nullable = true, description = "the values allowed (their text), 1 to " + MAX_CHOICES) List<String> choices,
                                @Schema(nullable = true, description = "the least number allowed (integer and decimal values)") BigDecimal min,
                                @Schema(nullable = true, description = "the greatest number allowed (integer and decimal values)") BigDecimal max,
                                @Schema(nullable = true, description = "no two entities of the type share a value") Boolean unique,
                                @JsonAnySetter @JsonInclude(JsonInclude.Include.NON_EMPTY) @Schema(hidden = true) Map<String, Object> unknown) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TypeView(String name, @Schema(nullable = true) PassThrough passThrough,
                           @Schema(nullable = true) Map<String, AttributeRule> attributes,
                           @Schema(nullable = true, description = "The port templates as defined") List<String> ports, long version, String updatedAt,
                           @Schema(nullable = true, description = "PUT: how many entities of the type break the rules now (they stay; "
                                   + "each of their next changes must mend them)") Integer violating,
                           @Schema(nullable = true, description = "PUT: the first " + MAX_REPORTED + " rules broken, by entity") List<Violation> violations,
                           @Schema(nullable = true, description = "PUT with ports: how many ports the existing entities of the type got now") Long portsAdded) {
    }

    @Schema(description = "An attribute rule an entity breaks")
    public record Violation(String entity, String attribute, String rule) {
    }

    public record TypeList(List<TypeView> items) {
    }

    static final int MAX_RULES = 256;
    static final int MAX_PATTERN = 512;
    static final int MAX_CHOICES = 256;
    static final int MAX_REPORTED = 100;
    private static final String COLUMNS = "name, front_prefix, rear_prefix, version, updated_at::text, attributes::text, ports::text";
    private static final ObjectMapper JSON = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private final Statements sql;

    public EntityTypes(Statements sql) {
        this.sql = sql;
    }

    /**
     * Defines type {@code name}, or replaces its definition (its version goes up); answers it with the entities of the
     * type that break its attribute rules now (they are not changed: each of their next changes must mend them).
     */
    public Uni<TypeView> define(String name, TypeDefinition definition) {
        if (definition.unknown() != null && !definition.unknown().isEmpty()) {
            throw ProblemException.invalid(definition.unknown().keySet().iterator().next(), "unknown field; a type definition has: passThrough, attributes, ports");
        }
        PassThrough through = definition.passThrough();
        if (through != null && (through.front().startsWith(through.rear()) || through.rear().startsWith(through.front()))) {
            throw ProblemException.invalid("passThrough.rear", "must not start with passThrough.front, nor the other way round "
                    + "(a port would pair both ways)");
        }
        Map<String, AttributeRule> rules = rules(definition.attributes());
        String rulesJson = rules == null ? null : json(rules);
        List<String> templates = definition.ports();
        String[] ports = templates == null ? null : PortTemplates.expand(templates).toArray(String[]::new);
        // Two transactions. The first defines the type under the advisory lock that V12's triggers share: an entity
        // created, retyped or cabled meanwhile either committed before (the second sees it) or sees the new ports.
        // The second gives the existing entities their ports; it holds no advisory lock while it waits for their rows.
        return Transactions.inTransaction(() -> checkPatterns(rules)
                .chain(() -> sql.one("select 1 from (select pg_advisory_xact_lock(19797, hashtext(?1))) locked", name))
                .chain(() -> sql.one("insert into entity_type (name, front_prefix, rear_prefix, attributes, ports, port_names) "
                        + "values (?1, ?2, ?3, cast(cast(?4 as text) as jsonb), cast(cast(?5 as text) as jsonb), cast(?6 as text[])) "
                        + "on conflict (name) do update set front_prefix = excluded.front_prefix, rear_prefix = excluded.rear_prefix, "
                        + "attributes = excluded.attributes, ports = excluded.ports, port_names = excluded.port_names, "
                        + "version = entity_type.version + 1, updated_at = now() returning " + COLUMNS,
                name, through == null ? null : through.front(), through == null ? null : through.rear(), rulesJson,
                templates == null ? null : json(templates), ports))
                .map(EntityTypes::view)
                .chain(type -> rules == null ? Uni.createFrom().item(type) : sql.rows("""
                        with v as (select entity, key, rule from schema_violations(array(select id from entity where type = ?1), false))
                        select entity, key, rule, 0, (select count(distinct entity) from v) from v order by entity, key, rule limit ?2""",
                        name, MAX_REPORTED).map(broken -> {
                            int violating = broken.isEmpty() ? 0 : broken.get(0).longValue(4).intValue();
                            return new TypeView(type.name(), type.passThrough(), type.attributes(), type.ports(), type.version(), type.updatedAt(), violating,
                                    broken.stream().map(r -> new Violation(r.string(0), r.string(1), r.string(2))).toList(), null);
                        })))
                .chain(type -> ports == null ? Uni.createFrom().item(type) : Transactions.inTransaction(() ->
                        sql.one("select declare_ports(array(select id from entity where type = ?1))", name)).map(added ->
                        new TypeView(type.name(), type.passThrough(), type.attributes(), type.ports(), type.version(), type.updatedAt(),
                                type.violating(), type.violations(), added.longValue(0))));
    }

    /** The rules checked at the edge: keys, types, bounds, sizes; each mistake a 400 naming attributes.KEY.FIELD. */
    private static Map<String, AttributeRule> rules(Map<String, AttributeRule> rules) {
        if (rules == null) {
            return null;
        }
        if (rules.size() > MAX_RULES) {
            throw ProblemException.invalid("attributes", "at most " + MAX_RULES + " keys");
        }
        Map<String, AttributeRule> checked = new TreeMap<>();
        rules.forEach((key, rule) -> {
            String field = "attributes." + (key.length() > 64 ? key.substring(0, 64) + "..." : key);
            AttributeValue.requireKey(key, field);
            if (rule == null) {
                throw ProblemException.invalid(field, "must be a rule: {type, required, pattern, choices, min, max, unique}");
            }
            if (rule.unknown() != null && !rule.unknown().isEmpty()) {
                throw ProblemException.invalid(field + "." + rule.unknown().keySet().iterator().next(),
                        "unknown field; a rule has: type, required, pattern, choices, min, max, unique");
            }
            if (rule.type() != null && !AttributeValue.TYPES.contains(rule.type())) {
                throw ProblemException.invalid(field + ".type", "must be one of " + String.join(", ", AttributeValue.TYPES.stream().sorted().toList()));
            }
            boolean numeric = rule.type() == null || rule.type().equals("integer") || rule.type().equals("decimal");
            if ((rule.min() != null || rule.max() != null) && !numeric) {
                throw ProblemException.invalid(field + (rule.min() != null ? ".min" : ".max"), "applies to integer and decimal values only");
            }
            if (rule.min() != null && rule.max() != null && rule.min().compareTo(rule.max()) > 0) {
                throw ProblemException.invalid(field + ".max", "must be at least min");
            }
            if (rule.pattern() != null) {
                if (rule.pattern().isEmpty() || rule.pattern().length() > MAX_PATTERN || rule.pattern().indexOf('\u0000') >= 0) {
                    throw ProblemException.invalid(field + ".pattern", "1 to " + MAX_PATTERN + " characters");
                }
            }
            if (rule.choices() != null) {
                if (rule.choices().isEmpty() || rule.choices().size() > MAX_CHOICES) {
                    throw ProblemException.invalid(field + ".choices", "1 to " + MAX_CHOICES + " values");
                }
                for (String choice : rule.choices()) {
                    if (choice == null || choice.length() > 1024 || choice.indexOf('\u0000') >= 0) {
                        throw ProblemException.invalid(field + ".choices", "each a string of at most 1024 characters");
                    }
                }
            }
            checked.put(key, new AttributeRule(rule.type(), Boolean.TRUE.equals(rule.required()) ? true : null, rule.pattern(),
                    rule.choices() == null ? null : List.copyOf(rule.choices()), rule.min(), rule.max(),
                    Boolean.TRUE.equals(rule.unique()) ? true : null, null));
        });
        return checked;
    }

    /** A pattern PostgreSQL cannot compile is a 400 naming it (PostgreSQL's regular expressions are what check the values). */
    private Uni<Void> checkPatterns(Map<String, AttributeRule> rules) {
        if (rules == null) {
            return Uni.createFrom().voidItem();
        }
        Uni<Void> checks = Uni.createFrom().voidItem();
        for (Map.Entry<String, AttributeRule> rule : rules.entrySet()) {
            if (rule.getValue().pattern() != null) {
                String field = "attributes." + rule.getKey() + ".pattern";
                checks = checks.chain(() -> sql.first("select '' ~ ('^(?:' || cast(?1 as text) || ')$')", rule.getValue().pattern())
                        .onFailure().transform(e -> {
                            Throwable translated = PgErrors.translate(e);
                            return translated instanceof ProblemException problem && !problem.errors().isEmpty()
                                    ? ProblemException.invalid(field, "is not a regular expression PostgreSQL reads: " + problem.errors().get(0).rule()) : e;
                        }).replaceWithVoid());
            }
        }
        return checks;
    }

    private static String json(Object definition) {
        try {
            return JSON.writeValueAsString(definition);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a type's definition as JSON", e);
        }
    }

    public Uni<TypeView> get(String name) {
        return Transactions.read(() -> sql.first("select " + COLUMNS + " from entity_type where name = ?1", name))
                .map(row -> view(row.orElseThrow(() -> notDefined(name))));
    }

    public Uni<TypeList> list() {
        return Transactions.read(() -> sql.rows("select " + COLUMNS + " from entity_type order by name"))
                .map(rows -> new TypeList(rows.stream().map(EntityTypes::view).toList()));
    }

    /** Forgets type {@code name}'s definition; its entities stay, as entities of a type without one. */
    public Uni<Void> forget(String name) {
        return Transactions.inTransaction(() -> sql.update("delete from entity_type where name = ?1", name)).invoke(deleted -> {
            if (deleted == 0) {
                throw notDefined(name);
            }
        }).replaceWithVoid();
    }

    private static ProblemException notDefined(String name) {
        return ProblemException.notFound("type '" + name + "' is not defined");
    }

    private static TypeView view(Row row) {
        PassThrough through = row.isNull(1) ? null : new PassThrough(row.string(1), row.string(2));
        Map<String, AttributeRule> rules = null;
        if (!row.isNull(5)) {
            try {
                rules = JSON.readValue(row.string(5), new TypeReference<TreeMap<String, AttributeRule>>() { });
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("attribute rules of type " + row.string(0), e);
            }
        }
        List<String> ports = null;
        if (!row.isNull(6)) {
            try {
                ports = JSON.readValue(row.string(6), new TypeReference<List<String>>() { });
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("port templates of type " + row.string(0), e);
            }
        }
        return new TypeView(row.string(0), through, rules, ports, row.longValue(3), row.string(4), null, null, null);
    }
}
