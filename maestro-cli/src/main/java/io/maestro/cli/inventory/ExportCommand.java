package io.maestro.cli.inventory;

import io.maestro.cli.CliException;
import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import io.maestro.client.inventory.Inventory.FileFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code maestro inv export}: the entities matching an expression as CSV or YAML, the shape 'maestro inv import' reads. */
@Command(name = "export", description = "Write the entities matching EXPRESSION (default: all, at most 50,000) as CSV or YAML, "
        + "the shape 'maestro inv import' reads: importing it again changes nothing.",
        footer = {"%nExamples:%n  maestro inv export 'in:rack101' --format csv -o rack101.csv", "  maestro inv export --format yaml > everything.yaml"})
public class ExportCommand extends ServiceCall {
    @Parameters(paramLabel = "EXPRESSION", arity = "0..1", description = "which entities (the expression language of 'maestro inv query')")
    String expression;
    @Option(names = "--format", paramLabel = "csv|yaml", defaultValue = "csv", description = "csv (the default) or yaml")
    String format;
    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write to FILE instead of standard output")
    Path file;
    @Mixin
    Output output;

    @Override
    public void run() {
        FileFormat fileFormat = ImportCommand.parseFormat(format);
        String exported = inventory(inv -> inv.export(expression, fileFormat));
        if (file == null) {
            output.out().print(exported);
            output.out().flush();
            return;
        }
        try {
            Files.writeString(file, exported, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException("cannot write " + file + ": " + e.getMessage());
        }
        output.err().printf("%d entities written to %s%n", fileFormat == FileFormat.CSV ? exported.lines().count() - 1
                : exported.lines().filter(line -> line.startsWith("- ")).count(), file);
        output.err().flush();
    }
}
