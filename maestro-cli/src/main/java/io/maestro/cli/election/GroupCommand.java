package io.maestro.cli.election;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.cli.Http;
import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

@Command(name = "group", description = "Show a group's leader, its fencing token and the owner of each key (msc).",
        footer = {"%nExamples:%n  maestro group workers", "  maestro group workers --json"})
public class GroupCommand extends ServiceCall {
    @Parameters(paramLabel = "NAME", description = "the group name")
    String name;

    @Mixin
    Output output;

    @Override
    public void run() {
        JsonNode group = election().get("/v1/groups/" + Http.encode(name));
        if (output.json) {
            output.json(group);
            return;
        }
        JsonNode leader = group.path("leader");
        output.out().println(leader.isMissingNode() || leader.isNull()
                ? "group " + name + ": no leader"
                : String.format("group %s: leader %s (fencing token %s, since %s)", name, leader.path("candidateId").asText(),
                leader.path("fencingToken").asText(), leader.path("since").asText("-")));
        List<List<String>> rows = new ArrayList<>();
        group.path("keys").fields().forEachRemaining(k -> rows.add(List.of(k.getKey(),
                k.getValue().path("owner").asText("-"), k.getValue().path("fencingToken").asText("-"))));
        if (!rows.isEmpty()) {
            output.table(List.of("KEY", "OWNER", "FENCING TOKEN"), rows);
        }
        output.out().flush();
    }
}
