package io.maestro.cli.inventory;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

/** clusto's verbs over the inventory-service. */
@Command(name = "inv", description = "The datacenter inventory: entities, attributes, racks, ports, queries, allocation, IPs (clusto).",
        subcommands = {AddCommand.class, ShowCommand.class, AttributeCommand.class, InsertCommand.class,
                ConnectCommand.class, LocateCommand.class, PortsCommand.class, TraceCommand.class, TypeCommand.class, QueryCommand.class,
                AllocateCommand.class, IpCommand.class, HistoryCommand.class, ImportCommand.class, ExportCommand.class},
        footer = {"%nExamples:%n  maestro inv add server s1 --attr memory=64",
                "  maestro inv insert rack101 s1 --unit 13 --height 2",
                "  maestro inv query 'type:server and in:dcz and not pool:allocated'",
                "  maestro inv import racks.csv --dry-run"})
public class InventoryCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "an inventory command is required");
    }
}
