package io.maestro.cli.cluster;

import io.maestro.cli.CliException;
import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import io.maestro.client.provisioner.Login;
import io.maestro.client.provisioner.Tinycloud;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

@Command(name = "login", description = "Open an interactive ssh session on a node (the master by default).",
        footer = {"%nExamples:%n  maestro cluster login voltron -i ~/.ssh/id_ed25519", "  maestro cluster login voltron worker 1 -i mykey",
                "  maestro cluster login voltron --print   # only show the ssh command"})
public class LoginCommand extends ServiceCall {
    @Parameters(index = "0", paramLabel = "NAME", description = "the cluster")
    String name;

    @Parameters(index = "1", paramLabel = "TAG", arity = "0..1", defaultValue = "master", description = "the group (default: ${DEFAULT-VALUE})")
    String tag;

    @Parameters(index = "2", paramLabel = "INDEX", arity = "0..1", defaultValue = "0", description = "the node (default: ${DEFAULT-VALUE})")
    int index;

    @Option(names = {"-i", "--identity"}, paramLabel = "KEY", description = "the private key matching the launch's public key")
    Path identity;

    @Option(names = "--print", description = "print the login details instead of running ssh")
    boolean print;

    @Mixin
    Output output;

    @Override
    public void run() {
        Tinycloud cloud = tinycloud(name).build();
        Login login = provisioner(() -> cloud.loginDetails(tag, index));
        if (output.json) {
            output.json(login);
            return;
        }
        if (print) {
            output.out().println(login.command());
            output.out().flush();
            return;
        }
        List<String> ssh = new ArrayList<>(List.of("ssh", "-p", Integer.toString(login.port())));
        if (identity != null) {
            ssh.addAll(List.of("-i", identity.toString()));
        }
        ssh.add(login.username() + "@" + login.host());
        try {
            int exit = new ProcessBuilder(ssh).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new CliException("ssh exited with " + exit);
            }
        } catch (IOException e) {
            throw new CliException("cannot run ssh: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
