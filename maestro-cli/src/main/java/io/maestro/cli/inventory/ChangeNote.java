package io.maestro.cli.inventory;

import io.maestro.client.inventory.Inventory;
import picocli.CommandLine.Option;

/** {@code --note} of the commands that change entities: why, kept with the change in its history and change events. */
public class ChangeNote {
    @Option(names = "--note", paramLabel = "TEXT", description = "why (a ticket, a reason): kept with the change in the entity's history "
            + "and change events; 1 to 1024 characters")
    String note;

    /** {@code inventory} sending this note with its changes, if one was given. */
    public Inventory on(Inventory inventory) {
        return note == null ? inventory : inventory.withNote(note);
    }
}
