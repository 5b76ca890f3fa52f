package io.maestro.cli.registry;

import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import io.maestro.client.registry.Registry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Drain an instance, put it in maintenance, or bring it back, as an operator. */
@Command(name = "state", description = "Set an instance's state: draining or maintenance take it out of the healthy lists "
        + "while it stays registered; active brings it back (needs registry:register for the service).",
        footer = {"%nExamples:%n  maestro state billing b-7 draining", "  maestro state billing b-7 active"})
public class StateCommand extends ServiceCall {
    @Parameters(index = "0", paramLabel = "SERVICE", description = "the service name")
    String service;

    @Parameters(index = "1", paramLabel = "INSTANCE", description = "the instance id")
    String instanceId;

    @Parameters(index = "2", paramLabel = "STATE", description = "active, draining or maintenance")
    String state;

    @Mixin
    Output output;

    @Override
    public void run() {
        Registry.InstanceState result = registry(registry -> registry.setState(service, instanceId, state));
        if (output.json) {
            output.json(result);
            return;
        }
        output.out().println(result.service() + "/" + result.instanceId() + " is " + result.state() + " (revision " + result.revision() + ")");
    }
}
