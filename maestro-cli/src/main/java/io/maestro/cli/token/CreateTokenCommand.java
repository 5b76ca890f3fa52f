package io.maestro.cli.token;

import io.maestro.cli.CliException;
import io.maestro.cli.KafkaProblems;
import io.maestro.cli.KafkaSettings;
import io.maestro.cli.ServiceCall;
import io.maestro.client.auth.Scopes;
import io.maestro.client.auth.SigningKey;
import io.maestro.client.auth.TokenIssuer;
import io.maestro.client.auth.TokenLedger;
import io.maestro.events.TokenRecord;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.List;

@Command(name = "create", description = "Mint a token, record it on the suite's ledger and print it, once: only the token on stdout.",
        footer = {"%nScopes: admin (all), or <service>:<verb>, optionally narrowed to names",
                "by a glob, <service>:<verb>:<glob>:",
                "  registry:read registry:register election:read election:campaign",
                "  inventory:read inventory:write inventory:allocate provisioner:read",
                "  provisioner:launch provisioner:exec provisioner:destroy metrics:read",
                "%nThe signing key: --key, else MAESTRO_SIGNING_KEY (a file), else",
                "$MAESTRO_HOME/auth/private-key.pem (./maestro up makes it). The token id",
                "(jti) and the expiry go to stderr; the token itself is never stored.",
                "%nExamples:",
                "  maestro token create --subject alice \\",
                "      --scopes inventory:read,provisioner:launch --ttl 30d",
                "  maestro token create --subject payments \\",
                "      --scopes 'registry:register:payments.*' --ttl 365d",
                "  TOKEN=$(maestro token create --subject ci --key ./private-key.pem \\",
                "      --scopes 'provisioner:exec:staging-*' --ttl 2h)",
                "  # the services' own token, before their Kafka runs:",
                "  maestro token create --key private-key.pem --no-ledger \\",
                "      --subject maestro-services --scopes 'registry:register:maestro.*'"})
public class CreateTokenCommand extends ServiceCall {
    public static final String SIGNING_KEY_VARIABLE = "MAESTRO_SIGNING_KEY";

    @Option(names = "--subject", required = true, paramLabel = "WHO", description = "who holds the token (the actor of what it does)")
    String subject;

    @Option(names = "--scopes", required = true, split = ",", paramLabel = "SCOPE[,SCOPE...]", description = "what it allows (see below)")
    List<String> scopes;

    @Option(names = "--ttl", defaultValue = "30d", paramLabel = "TTL",
            description = "how long it is valid: 30d, 12h, 15m, 90s or ISO-8601 (default: ${DEFAULT-VALUE}; at most 3650d)")
    String ttl;

    @Option(names = "--key", paramLabel = "FILE", description = "the suite's private key (PKCS#8 PEM)")
    Path key;

    @Option(names = "--no-ledger", description = "do not record the token on Kafka (bootstrapping a suite whose Kafka is "
            + "not reachable yet): token list will not show it; token revoke still revokes it by its id")
    boolean noLedger;

    @Override
    public void run() {
        // The rules first, so a mistake is named even where no key is at hand.
        List<String> wanted = scopes.stream().map(String::strip).distinct().toList();
        Duration lifetime;
        try {
            wanted.forEach(Scopes::parse);
            lifetime = TokenIssuer.parseTtl(ttl);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        TokenIssuer issuer = new TokenIssuer(signingKey());
        TokenIssuer.Issued issued;
        try {
            issued = issuer.issue(subject, wanted, lifetime);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        TokenRecord record = issued.record();
        PrintWriter err = spec.commandLine().getErr();
        if (noLedger) {
            err.println("not recorded on the ledger (--no-ledger): token list will not show it");
        } else {
            KafkaSettings kafka = kafka();
            try (TokenLedger ledger = TokenLedger.with(kafka.settings())) {
                ledger.record(record);
            } catch (IllegalStateException | KafkaException e) {
                throw new CliException("cannot record the token on the ledger (" + kafka.describe() + "): "
                        + kafka.redact(KafkaProblems.message(e)) + "; no token was issued (" + kafka.hint() + "; --no-ledger skips it)");
            }
        }
        err.printf("token %s for %s (%s), expires %s; shown only now. Revoke it with: maestro token revoke %s%n",
                record.jti(), record.subject(), String.join(" ", record.scopes()), record.expiresAt(), record.jti());
        err.flush();
        PrintWriter out = spec.commandLine().getOut();
        out.println(issued.token());
        out.flush();
    }

    private PrivateKey signingKey() {
        String variable = variable(SIGNING_KEY_VARIABLE);
        Path file = key != null ? key
                : variable != null && !variable.isBlank() ? Path.of(variable.strip())
                : home().resolve("auth").resolve(SigningKey.PRIVATE_KEY_FILE);
        String from = key != null ? "--key" : variable != null && !variable.isBlank() ? SIGNING_KEY_VARIABLE : "$MAESTRO_HOME";
        if (!Files.isRegularFile(file)) {
            throw new CliException("no signing key at " + file + " (from " + from + "): pass --key FILE or set "
                    + SIGNING_KEY_VARIABLE + "=FILE to the suite's private key; ./maestro up keeps it in .maestro/auth/");
        }
        try {
            return SigningKey.readPrivateKey(file);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new CliException("cannot use the signing key " + file + ": " + e.getMessage());
        }
    }
}
