package io.maestro.cli.election;

import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import io.maestro.client.election.Election;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

@Command(name = "group", description = "Show a group's leader, its fencing token and the owner of each key (msc).",
        footer = {"%nExamples:%n  maestro group workers", "  maestro group workers --json"})
public class GroupCommand extends ServiceCall {
    @Parameters(paramLabel = "NAME", description = "the group name")
    String name;

    @Mixin
    Output output;

    @Override
    public void run() {
        Election.Group group = election(election -> election.group(name));
        if (output.json) {
            output.json(group);
            return;
        }
        Election.Leader leader = group.leader();
        output.out().println(leader == null
                ? "group " + name + ": no leader"
                : String.format("group %s: leader %s (fencing token %s, since %s)", name, leader.candidateId(),
                leader.fencingToken(), leader.since() == null ? "-" : leader.since()));
        List<List<String>> rows = new ArrayList<>();
        new TreeMap<>(group.keys()).forEach((key, holder) -> rows.add(Arrays.asList(key, holder.owner() == null ? "-" : holder.owner(),
                holder.fencingToken() == null ? "-" : holder.fencingToken().toString())));
        if (!rows.isEmpty()) {
            output.table(List.of("KEY", "OWNER", "FENCING TOKEN"), rows);
        }
        output.out().flush();
    }
}
