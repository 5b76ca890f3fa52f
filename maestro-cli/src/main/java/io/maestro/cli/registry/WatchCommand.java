package io.maestro.cli.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.Http;
import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import io.maestro.client.events.SuiteEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "watch", description = "Follow a service's membership live: one line per change (MaestroJS use()), "
        + "or run a command with the current list after each change (--exec).",
        footer = {"%nExamples:%n  maestro watch billing", "  maestro watch billing --after-revision 41 --json",
                "  maestro watch billing --exec 'render-upstreams > /etc/nginx/billing.conf && nginx -s reload'"})
public class WatchCommand extends ServiceCall {
    @Parameters(paramLabel = "NAME", description = "the service name")
    String name;

    @Option(names = "--after-revision", paramLabel = "N", description = "resume after this revision instead of starting with a snapshot")
    Long afterRevision;

    @Option(names = "--exec", paramLabel = "COMMAND", description = "run COMMAND (sh -c) with the current list after each change, "
            + "one run at a time: the service, its revision and instances as JSON on its standard input, and "
            + "MAESTRO_SERVICE, MAESTRO_REVISION and MAESTRO_ENDPOINTS (space-separated) in its environment")
    String exec;

    @Option(names = "--debounce-ms", paramLabel = "MILLIS", defaultValue = "500",
            description = "with --exec: run once no change came for this long (default ${DEFAULT-VALUE}), so a burst is one run")
    long debounceMillis;

    @Mixin
    Output output;

    @Override
    public void run() {
        String path = "/v1/services/" + Http.encode(name) + "/watch" + (afterRevision == null ? "" : "?afterRevision=" + afterRevision);
        if (exec != null) {
            try (ChangeCommand command = new ChangeCommand(exec, debounceMillis, output)) {
                registry().stream(path, data -> command.changed(Http.read(data)));
            }
            return;
        }
        registry().stream(path, data -> {
            JsonNode change = Http.read(data);
            output.out().println(output.json ? change.toString() : SuiteEvent.membershipLine(change));
            output.out().flush();
        });
    }
}
