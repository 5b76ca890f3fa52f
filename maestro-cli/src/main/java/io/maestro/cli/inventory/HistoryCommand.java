package io.maestro.cli.inventory;

import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import io.maestro.client.inventory.Change;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** {@code maestro inv history}: the recorded changes of an entity. */
@Command(name = "history", description = "The recorded changes of an entity, oldest first: who made each (the token's subject) and its note.", footer = {"%nExample:%n  maestro inv history s1"})
public class HistoryCommand extends ServiceCall {
    static final int NOTE_WIDTH = 60;
    @Parameters(paramLabel = "NAME")
    String name;
    @Mixin
    Output output;

    @Override
    public void run() {
        List<Change> history = inventory(inv -> inv.history(name));
        if (output.json) {
            output.json(history);
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        history.forEach(c -> rows.add(Arrays.asList(Long.toString(c.version()), c.op(), c.occurredAt() == null ? "-" : c.occurredAt(),
                c.actor() == null ? "-" : c.actor(), note(c.note()))));
        output.table(List.of("VERSION", "OP", "AT", "BY", "NOTE"), rows);
    }

    /** A note as one line of the table: at most {@value #NOTE_WIDTH} characters (--json prints it whole). */
    private static String note(String note) {
        if (note == null) {
            return "-";
        }
        return note.length() <= NOTE_WIDTH ? note : note.substring(0, NOTE_WIDTH - 3) + "...";
    }
}
