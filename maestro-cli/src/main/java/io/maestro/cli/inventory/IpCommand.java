package io.maestro.cli.inventory;

import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import io.maestro.client.inventory.Entity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "ip", description = "IP ranges: create one, allocate its next free address to an entity.",
        subcommands = {IpCommand.AddRange.class, IpCommand.AllocateAddress.class},
        footer = {"%nExamples:%n  maestro inv ip add net10 10.0.0.0/24", "  maestro inv ip allocate net10 s1"})
public class IpCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "add or allocate is required");
    }

    @Command(name = "add", description = "Create an IP range.", footer = {"%nExample:%n  maestro inv ip add net10 10.0.0.0/24"})
    public static class AddRange extends ServiceCall {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1", paramLabel = "CIDR")
        String cidr;

        @Override
        public void run() {
            inventory(inv -> inv.addRange(name, cidr));
            spec.commandLine().getOut().printf("added range %s %s%n", name, cidr);
            spec.commandLine().getOut().flush();
        }
    }

    @Command(name = "allocate", description = "Allocate the next free address of a range to an entity.",
            footer = {"%nExample:%n  maestro inv ip allocate net10 s1"})
    public static class AllocateAddress extends ServiceCall {
        @picocli.CommandLine.Mixin
        ChangeNote change;
        @Parameters(index = "0", paramLabel = "RANGE")
        String range;
        @Parameters(index = "1", paramLabel = "ENTITY")
        String entity;
        @Mixin
        Output output;

        @Override
        public void run() {
            Entity.Address allocation = inventory(change, inv -> inv.allocateAddress(range, entity));
            if (output.json) {
                output.json(allocation);
            } else {
                output.out().println(allocation.address());
                output.out().flush();
            }
        }
    }
}
