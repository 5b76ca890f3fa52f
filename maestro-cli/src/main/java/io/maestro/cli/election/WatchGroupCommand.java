package io.maestro.cli.election;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.Http;
import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import io.maestro.client.events.SuiteEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "watch-group", description = "Follow a group's leadership changes live, one line each.",
        footer = {"%nExamples:%n  maestro watch-group workers", "  maestro watch-group workers --after 1700000000000-0 --json"})
public class WatchGroupCommand extends ServiceCall {
    @Parameters(paramLabel = "NAME", description = "the group name")
    String name;

    @Option(names = "--after", paramLabel = "EVENT_ID",
            description = "first replay the changes after this event id (<epoch millis>-<seq>, e.g. 0-0 for all kept), then follow")
    String after;

    @Mixin
    Output output;

    @Override
    public void run() {
        String path = "/v1/groups/" + Http.encode(name) + "/watch" + (after == null ? "" : "?after=" + Http.encode(after));
        election().stream(path, data -> {
            JsonNode change = Http.read(data);
            output.out().println(output.json ? change.toString() : SuiteEvent.leadershipLine(change));
            output.out().flush();
        });
    }
}
