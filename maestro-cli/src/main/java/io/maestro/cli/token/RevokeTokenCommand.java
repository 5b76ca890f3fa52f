package io.maestro.cli.token;

import io.maestro.cli.CliException;
import io.maestro.cli.KafkaProblems;
import io.maestro.cli.KafkaSettings;
import io.maestro.cli.ServiceCall;
import io.maestro.client.auth.TokenLedger;
import io.maestro.events.TokenRecord;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;

import java.io.PrintWriter;
import java.util.Map;

@Command(name = "revoke", description = "Revoke a token by its id: every service refuses it within 5 s.",
        footer = {"%nThe id (jti) is what token create printed on stderr and what token list",
                "shows. An id the ledger does not know (a token minted elsewhere with the",
                "suite's key, or with --no-ledger) is revoked all the same.",
                "%nExamples:",
                "  maestro token revoke 1b4e28ba-2fa1-11d2-883f-0016d3cca427",
                "  maestro token list --json | jq -r '.[] | select(.subject==\"alice\") | .jti' \\",
                "      | xargs -n1 maestro token revoke"})
public class RevokeTokenCommand extends ServiceCall {
    @Parameters(paramLabel = "JTI", description = "the token's id")
    String jti;

    @Override
    public void run() {
        if (jti.isBlank() || jti.length() > 256 || jti.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new ParameterException(spec.commandLine(), "JTI must be 1 to 256 characters without blanks or control characters");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        KafkaSettings kafka = kafka();
        try (TokenLedger ledger = TokenLedger.with(kafka.settings())) {
            Map<String, TokenRecord> known = ledger.list();
            TokenRecord before = known.get(jti);
            if (before != null && before.revoked()) {
                out.printf("%s was already revoked at %s (subject %s)%n", jti, before.revokedAt(), before.subject());
                out.flush();
                return;
            }
            TokenRecord revoked = ledger.revoke(jti, System.getProperty("user.name", "maestro"));
            if (before == null) {
                err.printf("note: %s is not on the ledger; revoked all the same%n", jti);
                err.flush();
            }
            out.printf("revoked %s (subject %s)%n", jti, revoked.subject());
            out.flush();
        } catch (IllegalStateException | KafkaException e) {
            throw new CliException("cannot revoke on the ledger (" + kafka.describe() + "): " + kafka.redact(KafkaProblems.message(e))
                    + " (" + kafka.hint() + ")");
        }
    }
}
