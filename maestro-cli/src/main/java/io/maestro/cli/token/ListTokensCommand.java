package io.maestro.cli.token;

import io.maestro.cli.CliException;
import io.maestro.cli.KafkaProblems;
import io.maestro.cli.KafkaSettings;
import io.maestro.cli.Output;
import io.maestro.cli.ServiceCall;
import io.maestro.client.auth.TokenLedger;
import io.maestro.events.EventCodec;
import io.maestro.events.TokenRecord;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

@Command(name = "list", description = "List the tokens the suite issued: id, subject, scopes, expiry, revocation (never the tokens).",
        footer = {"%nExamples:%n  maestro token list", "  maestro token list --json"})
public class ListTokensCommand extends ServiceCall {
    @Mixin
    Output output;

    @Override
    public void run() {
        Collection<TokenRecord> tokens;
        KafkaSettings kafka = kafka();
        try (TokenLedger ledger = TokenLedger.with(kafka.settings())) {
            tokens = ledger.list().values();
        } catch (IllegalStateException | KafkaException e) {
            throw new CliException("cannot read the ledger (" + kafka.describe() + "): " + kafka.redact(KafkaProblems.message(e))
                    + " (" + kafka.hint() + ")");
        }
        if (output.json) {
            output.json(EventCodec.mapper().valueToTree(tokens));
            return;
        }
        Instant now = Instant.now();
        List<List<String>> rows = new ArrayList<>();
        for (TokenRecord token : tokens) {
            String state = token.revoked() ? "revoked" : token.expiresAt().isBefore(now) ? "expired" : "active";
            rows.add(List.of(token.jti(), token.subject(), token.scopes().isEmpty() ? "-" : String.join(",", token.scopes()),
                    token.expiresAt().toString(), state,
                    token.revoked() ? token.revokedAt() + (token.revokedBy() == null ? "" : " by " + token.revokedBy()) : "-"));
        }
        output.table(List.of("JTI", "SUBJECT", "SCOPES", "EXPIRES", "STATE", "REVOKED"), rows);
    }
}
