package io.maestro.inventory.transfer;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.maestro.inventory.AttributeValue;
import io.maestro.inventory.entity.AttributeInput;
import io.maestro.inventory.transfer.ImportRow.Link;
import io.maestro.inventory.transfer.RowFields.BadField;
import io.maestro.support.problem.ProblemException;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The YAML of import and export: a sequence of entities, each with the fields of the REST bodies ({@code name},
 * {@code type}, {@code attributes} as {@code {key, subkey, number, type, value}}) and {@code parent}, {@code unit},
 * {@code height}, {@code pools} and {@code connections} ({@code {port, entity, remotePort}}). Read as data only: Jackson
 * reads YAML's events and never constructs objects from it, and tags, anchors and aliases are refused outright (no
 * custom types, no alias bombs).
 */
public final class YamlFormat {
    public static final String MEDIA_TYPE = "application/yaml";
    public static final Set<String> MEDIA_TYPES = Set.of(MEDIA_TYPE, "application/x-yaml", "text/yaml", "text/x-yaml");
    private static final Set<String> FIELDS = Set.of("name", "type", "parent", "unit", "height", "pools", "attributes", "connections");
    private static final Set<String> ATTRIBUTE_FIELDS = Set.of("key", "subkey", "number", "type", "value");
    private static final Set<String> LINK_FIELDS = Set.of("port", "entity", "remotePort");

    private YamlFormat() {
    }

    private static ObjectMapper mapper(int maxCodePoints) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(maxCodePoints);
        options.setMaxAliasesForCollections(0);
        options.setAllowDuplicateKeys(false);
        return new ObjectMapper(YAMLFactory.builder().loaderOptions(options)
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS).build());
    }

    private static final ObjectMapper WRITER = mapper(Integer.MAX_VALUE);

    public static ImportFile read(String body, int maxRows) {
        List<ImportRow> rows = new ArrayList<>();
        List<ImportRow.Refusal> unreadable = new ArrayList<>();
        ObjectMapper mapper = mapper(body.length() + 1);
        try (JsonParser parser = new DataOnly(mapper.getFactory().createParser(body))) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_ARRAY) {
                throw ProblemException.invalid("line " + parser.currentTokenLocation().getLineNr(),
                        "must be a sequence of entities (- name: ...)");
            }
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                int line = parser.currentTokenLocation().getLineNr();
                if (rows.size() + unreadable.size() >= maxRows) {
                    throw ImportLimits.tooManyRows(maxRows);
                }
                JsonNode node = mapper.readTree(parser);
                String name = node.path("name").isTextual() ? node.path("name").textValue() : null;
                try {
                    rows.add(row(node, line));
                } catch (BadField bad) {
                    unreadable.add(new ImportRow.Refusal(line, name, bad.column, bad.getMessage()));
                }
            }
            if (parser.nextToken() != null) {
                throw ProblemException.invalid("line " + parser.currentTokenLocation().getLineNr(), "must be one document");
            }
        } catch (IOException e) {
            throw RowFields.unreadable(e, "YAML this import reads");
        }
        return new ImportFile(rows, unreadable);
    }

    /** Refuses tags, anchors and aliases as the parser meets them: an import is data, and names no types. */
    private static final class DataOnly extends JsonParserDelegate {
        DataOnly(JsonParser parser) {
            super(parser);
        }

        @Override
        public JsonToken nextToken() throws IOException {
            JsonToken token = super.nextToken();
            YAMLParser yaml = (YAMLParser) delegate;
            if (token != null && (yaml.isCurrentAlias() || yaml.getObjectId() != null)) {
                throw ProblemException.invalid("line " + yaml.currentTokenLocation().getLineNr(), "anchors and aliases are not accepted");
            }
            if (token != null && yaml.getTypeId() != null) {
                throw ProblemException.invalid("line " + yaml.currentTokenLocation().getLineNr(), "tags (" + cut(yaml.getTypeId()) + ") are not accepted");
            }
            return token;
        }
    }

    private static String cut(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    private static ImportRow row(JsonNode node, int line) {
        if (!node.isObject()) {
            throw new BadField("", "must be a mapping with name, type, ...");
        }
        for (Iterator<String> fields = node.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            if (!FIELDS.contains(field)) {
                throw new BadField(cut(field), "is not a field: the fields are " + String.join(", ", FIELDS.stream().sorted().toList()));
            }
        }
        String name = RowFields.name(text(node, "name"), "name");
        String type = text(node, "type") == null ? null : RowFields.name(text(node, "type"), "type");
        String parent = text(node, "parent") == null ? null : RowFields.name(text(node, "parent"), "parent");
        var position = RowFields.position(parent, RowFields.number(text(node, "unit"), "unit", RowFields.MAX_UNIT),
                RowFields.number(text(node, "height"), "height", RowFields.MAX_HEIGHT));
        List<String> pools = null;
        if (present(node, "pools")) {
            pools = new ArrayList<>();
            for (int i = 0; i < list(node, "pools").size(); i++) {
                pools.add(RowFields.name(node.get("pools").get(i).isValueNode() ? node.get("pools").get(i).asText() : null, "pools[" + i + "]"));
            }
        }
        List<AttributeValue> attributes = new ArrayList<>();
        if (present(node, "attributes")) {
            ArrayNode list = list(node, "attributes");
            for (int i = 0; i < list.size(); i++) {
                String field = "attributes[" + i + "]";
                JsonNode a = object(list.get(i), field, ATTRIBUTE_FIELDS);
                Integer number = a.hasNonNull("number") ? (a.get("number").canConvertToInt() && a.get("number").isIntegralNumber() ? a.get("number").intValue() : -1) : null;
                attributes.add(RowFields.attribute(new AttributeInput(text(a, "key"), text(a, "subkey"), number, a.get("value"), text(a, "type")), field));
            }
        }
        List<Link> links = new ArrayList<>();
        if (present(node, "connections")) {
            ArrayNode list = list(node, "connections");
            for (int i = 0; i < list.size(); i++) {
                String field = "connections[" + i + "]";
                JsonNode c = object(list.get(i), field, LINK_FIELDS);
                links.add(RowFields.link(text(c, "port"), text(c, "entity"), text(c, "remotePort"), field));
            }
        }
        return new ImportRow(line, name, type, position, pools, RowFields.byKey(attributes), links);
    }

    private static boolean present(JsonNode node, String field) {
        return node.hasNonNull(field);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isValueNode()) {
            throw new BadField(field, "must be a single value");
        }
        return value.asText();
    }

    private static ArrayNode list(JsonNode node, String field) {
        if (!(node.get(field) instanceof ArrayNode list)) {
            throw new BadField(field, "must be a list");
        }
        return list;
    }

    private static JsonNode object(JsonNode node, String field, Set<String> fields) {
        if (!(node instanceof ObjectNode)) {
            throw new BadField(field, "must be a mapping of " + String.join(", ", fields.stream().sorted().toList()));
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw new BadField(field + "." + cut(name), "is not a field: the fields are " + String.join(", ", fields.stream().sorted().toList()));
            }
        }
        return node;
    }

    /** The export: the same fields an import reads, every one named, so that importing it changes nothing. */
    public static String write(List<ExportRow> rows) {
        ArrayNode out = WRITER.createArrayNode();
        for (ExportRow row : rows) {
            ObjectNode entity = out.addObject();
            entity.put("name", row.name());
            entity.put("type", row.type());
            if (row.parent() != null) {
                entity.put("parent", row.parent());
                if (row.unit() != null) {
                    entity.put("unit", row.unit());
                    entity.put("height", row.height());
                }
            }
            if (!row.pools().isEmpty()) {
                row.pools().forEach(entity.putArray("pools")::add);
            }
            if (!row.connections().isEmpty()) {
                ArrayNode links = entity.putArray("connections");
                row.connections().forEach(l -> links.addObject().put("port", l.port()).put("entity", l.entity()).put("remotePort", l.remotePort()));
            }
            if (!row.attributes().isEmpty()) {
                ArrayNode attributes = entity.putArray("attributes");
                for (AttributeValue value : row.attributes()) {
                    ObjectNode a = attributes.addObject().put("key", value.key());
                    if (value.subkey() != null) {
                        a.put("subkey", value.subkey());
                    }
                    if (value.number() != null) {
                        a.put("number", value.number());
                    }
                    a.put("type", value.type());
                    switch (value.type()) {
                        case "integer" -> a.put("value", Long.parseLong(value.text()));
                        case "decimal" -> a.put("value", new BigDecimal(value.text()));
                        case "boolean" -> a.put("value", Boolean.parseBoolean(value.text()));
                        default -> a.put("value", value.text());
                    }
                }
            }
        }
        try {
            return WRITER.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("YAML of an export", e);
        }
    }
}
