package io.maestro.inventory.transfer;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.maestro.inventory.AttributeValue;
import io.maestro.inventory.entity.AttributeInput;
import io.maestro.inventory.transfer.ImportRow.AttributeKey;
import io.maestro.inventory.transfer.ImportRow.Link;
import io.maestro.inventory.transfer.RowFields.BadField;
import io.maestro.support.problem.ProblemException;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CSV of import and export. A header line names the columns: {@code name} (required), {@code type},
 * {@code parent}, {@code unit}, {@code height}, {@code pools} ({@code ;}-separated), {@code connections}
 * ({@code port=entity:remotePort}, {@code ;}-separated) and one {@code attr.<key>[.<subkey>][:<type>]} per attribute
 * (type string when left out; several values {@code ;}-separated, {@code \;} and {@code \\} for a literal ; and \).
 * An empty cell names nothing. A leading apostrophe is a spreadsheet's quote mark: dropped on import, and written on
 * export before a cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR) or that starts with one.
 */
public final class CsvFormat {
    public static final String MEDIA_TYPE = "text/csv";
    static final int MAX_COLUMNS = 1000;
    private static final Pattern ATTRIBUTE_COLUMN = Pattern.compile(
            "attr\\.(" + AttributeValue.KEY.pattern() + ")(?:\\.(" + AttributeValue.KEY.pattern() + "))?(?::([a-z]+))?");
    private static final List<String> FIXED = List.of("name", "type", "parent", "unit", "height", "pools", "connections");
    private static final Pattern LINK = Pattern.compile("([^=:]+)=([^=:]+):([^=:]+)");
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");
    private static final CsvMapper MAPPER = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES).enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();

    private CsvFormat() {
    }

    /** Reads {@code body}; the header's mistakes refuse the whole file (400), a row's refuse that row. */
    public static ImportFile read(String body, int maxRows) {
        List<ImportRow> rows = new ArrayList<>();
        List<ImportRow.Refusal> unreadable = new ArrayList<>();
        String text = body.startsWith("\uFEFF") ? body.substring(1) : body;
        try (JsonParser parser = MAPPER.getFactory().createParser(text)) {
            ((CsvParser) parser).setSchema(CsvSchema.emptySchema());
            List<String> header = null;
            parser.nextToken(); // the whole file is one array (WRAP_AS_ARRAY), each line an array in it
            int[] line = new int[1];
            while (parser.nextToken() == JsonToken.START_ARRAY) {
                List<String> cells = cells(parser, line);
                if (header == null) {
                    header = header(cells);
                    continue;
                }
                if (cells.isEmpty() || cells.size() == 1 && cells.get(0).isBlank()) {
                    continue;
                }
                if (rows.size() + unreadable.size() >= maxRows) {
                    throw ImportLimits.tooManyRows(maxRows);
                }
                String name = cells.isEmpty() ? null : cells.get(0);
                try {
                    rows.add(row(header, cells, line[0]));
                } catch (BadField bad) {
                    unreadable.add(new ImportRow.Refusal(line[0], name, bad.column, bad.getMessage()));
                }
            }
            if (header == null) {
                throw ProblemException.invalid("body", "must start with a header line naming the columns, name first");
            }
        } catch (IOException e) {
            throw RowFields.unreadable(e, "CSV");
        }
        return new ImportFile(rows, unreadable);
    }

    /** The cells of one line; {@code line[0]} becomes the line it starts on (that of its first cell). */
    private static List<String> cells(JsonParser parser, int[] line) throws IOException {
        List<String> cells = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (cells.isEmpty()) {
                line[0] = parser.currentTokenLocation().getLineNr();
            }
            if (cells.size() == MAX_COLUMNS) {
                throw ProblemException.invalid("line " + line[0], "has more than " + MAX_COLUMNS + " cells");
            }
            cells.add(parser.getText() == null ? "" : parser.getText());
        }
        return cells;
    }

    private static List<String> header(List<String> cells) {
        List<String> header = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String cell : cells) {
            String column = cell.trim();
            if (!FIXED.contains(column)) {
                Matcher attribute = ATTRIBUTE_COLUMN.matcher(column);
                if (!attribute.matches()) {
                    throw ProblemException.invalid("line 1, column " + cut(column), "is not a column: the columns are "
                            + String.join(", ", FIXED) + " and attr.<key>[.<subkey>][:<type>]");
                }
                if (attribute.group(3) != null && !AttributeValue.TYPES.contains(attribute.group(3))) {
                    throw ProblemException.invalid("line 1, column " + column, "type must be one of " + String.join(", ", AttributeValue.TYPES.stream().sorted().toList()));
                }
            }
            if (!seen.add(column)) {
                throw ProblemException.invalid("line 1, column " + cut(column), "appears twice");
            }
            header.add(column);
        }
        if (!header.contains("name")) {
            throw ProblemException.invalid("line 1", "must name the column name");
        }
        return header;
    }

    private static ImportRow row(List<String> header, List<String> cells, int line) {
        if (cells.size() > header.size()) {
            throw new BadField("column " + (header.size() + 1), "is beyond the header's " + header.size() + " columns");
        }
        Map<String, String> fixed = new HashMap<>();
        List<AttributeValue> attributes = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            String cell = unquote(cells.get(i));
            if (cell.isEmpty()) {
                continue;
            }
            String column = header.get(i);
            if (FIXED.contains(column)) {
                fixed.put(column, cell);
            } else {
                Matcher attribute = ATTRIBUTE_COLUMN.matcher(column);
                attribute.matches();
                String type = attribute.group(3) == null ? "string" : attribute.group(3);
                for (String value : splitValues(cell)) {
                    try {
                        attributes.add(RowFields.attribute(new AttributeInput(attribute.group(1), attribute.group(2), null, node(value, type), type), column));
                    } catch (BadField bad) {
                        throw new BadField(column, bad.getMessage()); // the column, not the JSON field the REST rule names
                    }
                }
            }
        }
        String name = RowFields.name(fixed.get("name"), "name");
        String type = fixed.get("type") == null ? null : RowFields.name(fixed.get("type"), "type");
        String parent = fixed.get("parent") == null ? null : RowFields.name(fixed.get("parent"), "parent");
        var position = RowFields.position(parent, RowFields.number(fixed.get("unit"), "unit", RowFields.MAX_UNIT),
                RowFields.number(fixed.get("height"), "height", RowFields.MAX_HEIGHT));
        List<String> pools = fixed.get("pools") == null ? null
                : splitNames(fixed.get("pools")).stream().map(pool -> RowFields.name(pool, "pools")).toList();
        List<Link> links = new ArrayList<>();
        if (fixed.get("connections") != null) {
            for (String link : splitNames(fixed.get("connections"))) {
                Matcher m = LINK.matcher(link);
                if (!m.matches()) {
                    throw new BadField("connections", "each must be port=entity:remotePort, ;-separated");
                }
                links.add(RowFields.link(m.group(1), m.group(2), m.group(3), "connections"));
            }
        }
        return new ImportRow(line, name, type, position, pools, RowFields.byKey(attributes), links);
    }

    /** The value as the JSON the REST API would have been sent, so that AttributeValue's rules apply as they are. */
    private static com.fasterxml.jackson.databind.JsonNode node(String value, String type) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        try {
            return switch (type) {
                case "integer" -> json.numberNode(Long.parseLong(value.trim()));
                case "decimal" -> json.numberNode(new BigDecimal(value.trim()));
                case "boolean" -> value.trim().equals("true") || value.trim().equals("false") ? json.booleanNode(Boolean.parseBoolean(value.trim())) : json.textNode(value);
                default -> json.textNode(value);
            };
        } catch (NumberFormatException e) {
            return json.textNode(value); // refused by AttributeValue with the type's rule
        }
    }

    /** Drops a spreadsheet's leading apostrophe (see the class comment). */
    private static String unquote(String cell) {
        return cell.startsWith("'") ? cell.substring(1) : cell;
    }

    private static List<String> splitNames(String cell) {
        List<String> names = new ArrayList<>();
        for (String part : cell.split(";", -1)) {
            names.add(part.trim());
        }
        return names;
    }

    /** Values separated by ; where \; is a literal ; and \\ a literal \. */
    static List<String> splitValues(String cell) {
        List<String> values = new ArrayList<>();
        StringBuilder value = new StringBuilder();
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            if (c == '\\' && i + 1 < cell.length() && (cell.charAt(i + 1) == ';' || cell.charAt(i + 1) == '\\')) {
                value.append(cell.charAt(++i));
            } else if (c == ';') {
                values.add(value.toString());
                value.setLength(0);
            } else {
                value.append(c);
            }
        }
        values.add(value.toString());
        return values;
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace(";", "\\;");
    }

    /** A cell a spreadsheet will show, not run: see the class comment. A plain number is left as it is. */
    static String neutralise(String cell) {
        if (cell.isEmpty() || NUMBER.matcher(cell).matches()) {
            return cell;
        }
        return "=+-@\t\r'".indexOf(cell.charAt(0)) >= 0 ? "'" + cell : cell;
    }

    private static String cut(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    /** The export: a header of every column the rows use (attributes sorted by key, subkey, type), then a line per row. */
    public static String write(List<ExportRow> rows) {
        record Column(String key, String subkey, String type) {
            String header() {
                return "attr." + key + (subkey == null ? "" : "." + subkey) + (type.equals("string") ? "" : ":" + type);
            }
        }
        Map<Column, Integer> columns = new TreeMap<>(Comparator.comparing(Column::key)
                .thenComparing(Column::subkey, Comparator.nullsFirst(Comparator.naturalOrder())).thenComparing(Column::type));
        for (ExportRow row : rows) {
            for (AttributeValue value : row.attributes()) {
                columns.put(new Column(value.key(), value.subkey(), value.type()), 0);
            }
        }
        List<String> header = new ArrayList<>(FIXED);
        int index = FIXED.size();
        for (Map.Entry<Column, Integer> column : columns.entrySet()) {
            column.setValue(index++);
            header.add(column.getKey().header());
        }
        List<String[]> lines = new ArrayList<>(rows.size() + 1);
        lines.add(header.toArray(String[]::new));
        for (ExportRow row : rows) {
            String[] cells = new String[header.size()];
            cells[0] = row.name();
            cells[1] = row.type();
            cells[2] = row.parent() == null ? "" : row.parent();
            cells[3] = row.unit() == null ? "" : row.unit().toString();
            cells[4] = row.unit() == null ? "" : row.height().toString();
            cells[5] = String.join(";", row.pools());
            cells[6] = String.join(";", row.connections().stream().map(l -> l.port() + "=" + l.entity() + ":" + l.remotePort()).toList());
            Map<Integer, List<String>> values = new LinkedHashMap<>();
            for (AttributeValue value : row.attributes()) {
                values.computeIfAbsent(columns.get(new Column(value.key(), value.subkey(), value.type())), i -> new ArrayList<>()).add(escape(value.text()));
            }
            values.forEach((i, texts) -> cells[i] = String.join(";", texts));
            for (int i = 0; i < cells.length; i++) {
                cells[i] = cells[i] == null ? "" : neutralise(cells[i]);
            }
            lines.add(cells);
        }
        try {
            return MAPPER.writer(CsvSchema.emptySchema().withLineSeparator("\n")).writeValueAsString(lines);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("CSV of an export", e);
        }
    }
}
