package io.maestro.cli.token;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "token", description = "Mint, revoke and list the suite's bearer tokens (on Kafka; no service needed).",
        subcommands = {CreateTokenCommand.class, RevokeTokenCommand.class, ListTokensCommand.class},
        footer = {"%nA token is a JWT signed with the suite's private key: whoever holds the",
                "key mints tokens; whoever can write to Kafka's maestro.auth.tokens revokes",
                "them. Every service refuses a revoked token within 5 s. A secured Kafka:",
                "--kafka-config FILE or MAESTRO_KAFKA_CONFIG (Kafka client properties).",
                "%nExamples:",
                "  maestro token create --subject alice \\",
                "      --scopes inventory:read,provisioner:launch --ttl 30d",
                "  export MAESTRO_TOKEN=$(maestro token create --subject ci \\",
                "      --scopes 'registry:register:ci-*' --ttl 12h)",
                "  maestro token list",
                "  maestro token list --kafka-config .maestro/secure/admin-kafka.properties",
                "  maestro token revoke 1b4e28ba-2fa1-11d2-883f-0016d3cca427"})
public class TokenCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a token command is required");
    }
}
