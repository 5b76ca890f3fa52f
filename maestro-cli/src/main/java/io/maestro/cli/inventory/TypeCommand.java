package io.maestro.cli.inventory;

import com.fasterxml.jackson.core.type.TypeReference;
import io.maestro.cli.CliException;
import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import io.maestro.client.http.MaestroApiException;
import io.maestro.client.inventory.EntityType;
import io.maestro.events.EventCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code maestro inv type}: what the inventory knows about an entity type; with --pass-through, --attributes or
 * --ports, defines that part of it and keeps the others as they are.
 */
@Command(name = "type", description = "Show an entity type's definition; with --pass-through make its entities patch panels, "
        + "with --attributes set the rules of their attributes, with --ports the ports each of its entities has "
        + "(each option keeps what the others set).",
        footer = {"%nExamples:%n  maestro inv type panel --pass-through front-,rear-   # port front-N is wired to rear-N",
                "  maestro inv type switch48 --ports '[1-48],mgmt0'                # ports 1 to 48 and mgmt0",
                "  maestro inv type server --attributes '{\"memory\": {\"type\": \"integer\", \"required\": true, \"min\": 1}, "
                        + "\"serial\": {\"pattern\": \"SN[0-9]{8}\", \"unique\": true}}'",
                "  maestro inv type server"})
public class TypeCommand extends ServiceCall {
    @Parameters(paramLabel = "TYPE")
    String type;
    @Option(names = "--pass-through", paramLabel = "FRONT,REAR", split = ",", arity = "1",
            description = "entities of the type pass connections through: port FRONT+x is wired to port REAR+x")
    String[] passThrough;
    @Option(names = "--attributes", paramLabel = "JSON", description = "the rules of the attributes by key, as JSON: "
            + "{\"KEY\": {\"type\", \"required\", \"pattern\", \"choices\", \"min\", \"max\", \"unique\"}}; {} removes them")
    String attributes;
    @Option(names = "--ports", paramLabel = "TEMPLATES", description = "the ports of every entity of the type, comma-separated: a "
            + "name, or one with a numeric range ([1-48], eth[01-04]); entities are then cabled on those only; '' removes the templates "
            + "(the ports given stay)")
    String ports;
    @Mixin
    Output output;

    @Override
    public void run() {
        if (passThrough != null && passThrough.length != 2) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--pass-through takes two prefixes: FRONT,REAR (e.g. front-,rear-)");
        }
        Map<String, EntityType.AttributeRule> rules = attributes == null ? null : rules(attributes);
        EntityType defined = inventory(inv -> {
            if (passThrough == null && rules == null && ports == null) {
                return inv.type(type);
            }
            EntityType current = current(inv);
            EntityType.PassThrough through = passThrough != null ? new EntityType.PassThrough(passThrough[0], passThrough[1])
                    : current == null ? null : current.passThrough();
            Map<String, EntityType.AttributeRule> keptRules = rules != null ? rules : current == null ? null : current.attributes();
            List<String> keptPorts = ports != null ? (ports.isBlank() ? null : List.of(ports.split(",", -1)))
                    : current == null ? null : current.ports();
            return inv.defineType(type, through, keptRules, keptPorts);
        });
        if (output.json) {
            output.json(defined);
            return;
        }
        output.out().printf("%s (version %d): %s%n", defined.name(), defined.version(), defined.passThrough() == null ? "passes nothing through"
                : "passes connections through, " + defined.passThrough().front() + "x <-> " + defined.passThrough().rear() + "x");
        if (defined.attributes() != null && !defined.attributes().isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            defined.attributes().forEach((key, rule) -> rows.add(List.of(key, text(rule.type()), rule.required() == null ? "-" : "yes",
                    text(rule.pattern()), rule.choices() == null ? "-" : String.join(",", rule.choices()),
                    rule.min() == null ? "-" : rule.min().toPlainString(), rule.max() == null ? "-" : rule.max().toPlainString(),
                    rule.unique() == null ? "-" : "yes")));
            output.table(List.of("ATTRIBUTE", "TYPE", "REQUIRED", "PATTERN", "CHOICES", "MIN", "MAX", "UNIQUE"), rows);
        }
        if (defined.ports() != null) {
            output.out().printf("ports: %s%n", String.join(", ", defined.ports()));
        }
        if (defined.portsAdded() != null && defined.portsAdded() > 0) {
            output.out().printf("%d port%s given to existing entities of type %s%n", defined.portsAdded(), defined.portsAdded() == 1 ? "" : "s", defined.name());
        }
        if (defined.violating() != null) {
            output.out().printf("%d entit%s of type %s break%s the rules now%s%n", defined.violating(), defined.violating() == 1 ? "y" : "ies",
                    defined.name(), defined.violating() == 1 ? "s" : "", defined.violating() == 0 ? "" : " (each of their next changes must mend them):");
            for (EntityType.Violation violation : defined.violations()) {
                output.out().printf("  %s %s: %s%n", violation.entity(), violation.attribute(), violation.rule());
            }
        }
        output.out().flush();
    }

    private EntityType current(io.maestro.client.inventory.Inventory inv) {
        try {
            return inv.type(type);
        } catch (MaestroApiException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
    }

    private static String text(String value) {
        return value == null ? "-" : value;
    }

    /** The rules of --attributes; a field the SDK's rule does not know is refused here, not dropped on the way. */
    private static Map<String, EntityType.AttributeRule> rules(String json) {
        Map<String, Map<String, Object>> given;
        try {
            given = EventCodec.mapper().readValue(json, new TypeReference<java.util.TreeMap<String, Map<String, Object>>>() { });
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CliException("--attributes is not JSON of rules by key ({\"memory\": {\"type\": \"integer\"}}): " + e.getOriginalMessage());
        }
        Map<String, EntityType.AttributeRule> rules = new java.util.TreeMap<>();
        given.forEach((key, rule) -> {
            EntityType.AttributeRule read = EventCodec.mapper().convertValue(rule == null ? Map.of() : rule, EntityType.AttributeRule.class);
            Map<?, ?> known = EventCodec.mapper().convertValue(read, Map.class);
            for (String field : rule == null ? java.util.Set.<String>of() : rule.keySet()) {
                if (rule.get(field) != null && !known.containsKey(field)) {
                    throw new CliException("--attributes: " + key + "." + field + " is not a rule field");
                }
            }
            rules.put(key, read);
        });
        return rules;
    }
}
