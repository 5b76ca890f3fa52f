package io.maestro.cli.registry;

import io.maestro.client.events.SuiteEvent;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.Http;
import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

@Command(name = "watch", description = "Follow a service's membership live: one line per change (MaestroJS use()).",
        footer = {"%nExamples:%n  maestro watch billing", "  maestro watch billing --after-revision 41 --json"})
public class WatchCommand extends ServiceCall {
    @Parameters(paramLabel = "NAME", description = "the service name")
    String name;

    @Option(names = "--after-revision", paramLabel = "N", description = "resume after this revision instead of starting with a snapshot")
    Long afterRevision;

    @Mixin
    Output output;

    @Override
    public void run() {
        String path = "/v1/services/" + Http.encode(name) + "/watch" + (afterRevision == null ? "" : "?afterRevision=" + afterRevision);
        registry().stream(path, data -> {
            JsonNode change = Http.read(data);
            if (output.json) {
                output.out().println(change.toString());
            } else {
                output.out().println(SuiteEvent.membershipLine(change));
            }
            output.out().flush();
        });
    }
}
