package io.maestro.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.maestro.events.EventCodec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** The {@code --json} switch of read commands and the table printer. */
public class Output {
    @Option(names = "--json", description = "print JSON instead of a table")
    public boolean json;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    public PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Where a command says what went wrong while it goes on. */
    public PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** A record of the SDK (or a list of them) as JSON. */
    public void json(Object value) {
        json(EventCodec.mapper().<JsonNode>valueToTree(value));
    }

    public void json(JsonNode node) {
        try {
            out().println(EventCodec.mapper().writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new CliException("cannot print JSON: " + e.getMessage());
        }
        out().flush();
    }

    /**
     * Prints rows under headers, each column as wide as its widest cell. A cell's control characters are printed as
     * escapes ({@code \n}, {@code \u001b}): cells hold what other callers wrote (attribute values, notes), which must
     * not move the cursor or recolour the terminal, nor break the table's lines.
     */
    public void table(List<String> headers, List<List<String>> given) {
        List<List<String>> rows = given.stream().map(row -> row.stream().map(Output::visible).toList()).toList();
        List<Integer> widths = new ArrayList<>();
        for (int c = 0; c < headers.size(); c++) {
            int width = headers.get(c).length();
            for (List<String> row : rows) {
                width = Math.max(width, row.get(c) == null ? 1 : row.get(c).length());
            }
            widths.add(width);
        }
        printRow(headers, widths);
        for (List<String> row : rows) {
            printRow(row, widths);
        }
        out().flush();
    }

    private void printRow(List<String> cells, List<Integer> widths) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.size(); c++) {
            String cell = cells.get(c) == null ? "-" : cells.get(c);
            line.append(c == cells.size() - 1 ? cell : String.format("%-" + widths.get(c) + "s  ", cell));
        }
        out().println(line.toString().stripTrailing());
    }

    /** {@code text} with each control character as an escape; null stays null. */
    public static String visible(String text) {
        if (text == null || text.chars().noneMatch(Character::isISOControl)) {
            return text;
        }
        StringBuilder shown = new StringBuilder(text.length() + 8);
        text.chars().forEach(c -> {
            switch (c) {
                case '\n' -> shown.append("\\n");
                case '\r' -> shown.append("\\r");
                case '\t' -> shown.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        shown.append(String.format("\\u%04x", c));
                    } else {
                        shown.append((char) c);
                    }
                }
            }
        });
        return shown.toString();
    }

    public static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isMissingNode() || value.isNull() ? null : value.isTextual() ? value.asText() : value.toString();
    }
}
