package io.maestro.cli.inventory;

import io.maestro.cli.CliException;
import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import io.maestro.client.inventory.ImportReport;
import io.maestro.client.inventory.Inventory;
import io.maestro.client.inventory.Inventory.FileFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code maestro inv import}: entities from a CSV or YAML file, all or nothing (or row by row), or a dry run of it. */
@Command(name = "import", description = "Create and change entities from a CSV or YAML file (the shape 'maestro inv export' writes). "
        + "All or nothing unless --per-row; nothing is deleted.",
        footer = {"%nExamples:%n  maestro inv import racks.csv --dry-run", "  maestro inv import racks.csv --per-row --note 'OPS-42'",
                "  maestro inv export 'in:dc1' --format yaml | maestro inv import - --format yaml",
                "%nCSV columns: name,type,parent,unit,height,pools,connections,attr.KEY[.SUBKEY][:TYPE] (see the inventory README)."})
public class ImportCommand extends ServiceCall {
    /** With more rows than this to show, only the refused ones are listed. */
    static final int MAX_LISTED = 50;

    @Parameters(paramLabel = "FILE", description = "the file, or - for standard input (then --format is needed)")
    String file;
    @Option(names = "--format", paramLabel = "csv|yaml", description = "the file's format (default: from its name's ending)")
    String format;
    @Option(names = "--per-row", description = "write the rows that can be written and report the others (default: all or nothing)")
    boolean perRow;
    @Option(names = "--dry-run", description = "report what would happen, row by row; write nothing")
    boolean dryRun;
    @Option(names = "--note", paramLabel = "TEXT", description = "why: kept with every change in the history")
    String note;
    @Mixin
    Output output;

    @Override
    public void run() {
        FileFormat fileFormat = format != null ? parseFormat(format) : FileFormat.ofFileName(file);
        if (fileFormat == null) {
            throw new CliException("say --format csv or --format yaml: the format of '" + file + "' is not known by its name");
        }
        byte[] content = read(file);
        ImportReport report = inventory(inv -> {
            Inventory.Import request = inv.importing(fileFormat, content);
            if (perRow) {
                request.perRow();
            }
            if (note != null) {
                request.note(note);
            }
            return dryRun ? request.dryRun() : request.commit();
        });
        if (output.json) {
            output.json(report);
            return;
        }
        List<ImportReport.Row> shown = report.rows().stream().filter(r -> !r.outcome().equals("unchanged")).toList();
        boolean all = shown.size() <= MAX_LISTED;
        List<List<String>> rows = new ArrayList<>();
        for (ImportReport.Row row : shown) {
            if (all || row.outcome().equals("refused")) {
                String detail = row.outcome().equals("refused") ? (row.column() == null || row.column().isEmpty() ? "" : row.column() + ": ") + row.error()
                        : String.join(", ", row.changes());
                rows.add(List.of(Integer.toString(row.line()), row.name() == null ? "-" : row.name(), row.outcome(), detail.isEmpty() ? "-" : detail));
            }
        }
        if (!rows.isEmpty()) {
            output.table(List.of("LINE", "NAME", "OUTCOME", "DETAIL"), rows);
        }
        String summary = String.format("created %d, changed %d, unchanged %d, refused %d", report.created(), report.changed(), report.unchanged(), report.refused());
        String outcome = report.dryRun() ? (report.written() ? "dry run: nothing written; the import would write these" : "dry run: the import would write nothing, a row is refused; --per-row writes the others")
                : report.written() ? "written" : "nothing written";
        output.out().printf("%s (%s)%s%n", summary, outcome, all ? "" : "; rows listed: the refused ones (--json for every row)");
        output.out().flush();
    }

    static FileFormat parseFormat(String format) {
        return switch (format) {
            case "csv" -> FileFormat.CSV;
            case "yaml", "yml" -> FileFormat.YAML;
            default -> throw new CliException("--format must be csv or yaml but was '" + format + "'");
        };
    }

    private static byte[] read(String file) {
        try {
            return file.equals("-") ? System.in.readAllBytes() : Files.readAllBytes(Path.of(file));
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
