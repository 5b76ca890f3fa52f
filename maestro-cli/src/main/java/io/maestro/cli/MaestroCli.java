package io.maestro.cli;

import io.maestro.cli.election.GroupCommand;
import io.maestro.cli.election.WatchGroupCommand;
import io.maestro.cli.events.EventsCommand;
import io.maestro.cli.registry.ServiceCommand;
import io.maestro.cli.registry.ServicesCommand;
import io.maestro.cli.registry.WatchCommand;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The {@code maestro} command line. {@code ./maestro up|down|status} are handled by the launcher script itself. */
@Command(name = "maestro",
        mixinStandardHelpOptions = true,
        scope = CommandLine.ScopeType.INHERIT, // --help on every command
        version = "maestro 0.1.0",
        description = "Maestro: service registry, leader election, inventory and cluster provisioning.",
        commandListHeading = "%nCommands:%n",
        subcommands = {
                ServicesCommand.class, ServiceCommand.class, io.maestro.cli.registry.StateCommand.class, WatchCommand.class,
                GroupCommand.class, WatchGroupCommand.class, io.maestro.cli.election.ElectCommand.class,
                EventsCommand.class,
                io.maestro.cli.cluster.ClusterCommand.class,
                io.maestro.cli.inventory.InventoryCommand.class,
                io.maestro.cli.token.TokenCommand.class,
                AutoComplete.GenerateCompletion.class,
                CommandLine.HelpCommand.class},
        footerHeading = "%nSuite:%n",
        footer = {
                "  up [--detach] [--fresh]  run Kafka, Redis, PostgreSQL and the services",
                "  down | status            stop the suite, or show its addresses",
                "",
                "Service addresses: the --<service>-url flags, else MAESTRO_<SERVICE>_URL",
                "(./maestro reads .maestro/stack.env), else ~/.maestro/config, else",
                "http://127.0.0.1:8081-8084.",
                "Token (sent to every service): --token, else MAESTRO_TOKEN, else token=... in",
                "~/.maestro/config, else the local admin token $MAESTRO_HOME/auth/admin.token",
                "that ./maestro up writes (./maestro sets MAESTRO_HOME to .maestro).",
                "HTTPS: services' certificates are checked against the JDK's CAs and those of",
                "--ca-cert FILE, else MAESTRO_CA_CERT (a PEM file; ./maestro up --secure sets it).",
                "Kafka (events, token): --kafka-config FILE, else MAESTRO_KAFKA_CONFIG, a Kafka",
                "client properties file (security.protocol, sasl.*, ssl.*: a secured Kafka);",
                "bootstrap servers: --kafka, else the file's bootstrap.servers, else",
                "KAFKA_BOOTSTRAP_SERVERS, else 127.0.0.1:9092.",
                "Exit codes: 0 ok, 1 failed, 2 usage error."})
public class MaestroCli implements Runnable {
    @Mixin
    Endpoints endpoints;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new MaestroCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String message = e instanceof CliException ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
            // the message may quote what other callers wrote (values, notes): its lines' control characters as escapes
            commandLine.getErr().println("error: " + String.valueOf(message).lines().map(Output::visible)
                    .collect(java.util.stream.Collectors.joining(System.lineSeparator())));
            commandLine.getErr().flush();
            return 1;
        });
        cli.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        // The "Suite:" heading is the root's own footer's, not the subcommands' (their footers are examples).
        cli.getSubcommands().values().forEach(MaestroCli::withoutSuiteHeading);
        return cli;
    }

    private static void withoutSuiteHeading(CommandLine command) {
        command.getCommandSpec().usageMessage().footerHeading("");
        command.getSubcommands().values().forEach(MaestroCli::withoutSuiteHeading);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
