package io.maestro.cli.cluster;

import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import io.maestro.client.provisioner.Expiry;
import io.maestro.client.provisioner.Tinycloud;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code maestro cluster ttl}: when the provisioner destroys a cluster. */
@Command(name = "ttl", description = "Make a cluster expire DURATION from now, or never (--remove).",
        footer = {"%nExamples:%n  maestro cluster ttl scratch 2h", "  maestro cluster ttl scratch --remove"})
public class TtlCommand extends ServiceCall {
    @Parameters(index = "0", paramLabel = "NAME", description = "the cluster")
    String name;

    @Parameters(index = "1", arity = "0..1", paramLabel = "DURATION", description = "15s, 30m, 8h, 1h30m, 7d: counted from now")
    String ttl;

    @Option(names = "--remove", description = "keep the cluster until destroyed")
    boolean remove;

    @Mixin
    Output output;

    @Override
    public void run() {
        if (remove == (ttl != null)) {
            throw new ParameterException(spec.commandLine(), "give either a DURATION or --remove");
        }
        Tinycloud cloud = tinycloud(name).build();
        Expiry expiry = provisioner(() -> remove ? cloud.removeTtl() : cloud.extendTtl(ttl));
        if (output.json) {
            output.json(expiry);
            return;
        }
        output.table(List.of("CLUSTER", "TTL", "EXPIRES"), List.of(List.of(expiry.name(),
                expiry.ttl() == null ? "-" : expiry.ttl(), expiry.expiresAt() == null ? "never" : expiry.expiresAt())));
    }
}
