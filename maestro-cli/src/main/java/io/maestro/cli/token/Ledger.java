package io.maestro.cli.token;

import io.maestro.client.auth.TokenLedger;

import java.util.Map;

/** The suite's token ledger for one command: an unreachable Kafka fails it in about 10 s, not the clients' minute. */
final class Ledger {
    private static final String TIMEOUT_MS = "10000";

    private Ledger() {
    }

    static TokenLedger at(String bootstrapServers) {
        return new TokenLedger(Map.of(
                "bootstrap.servers", bootstrapServers,
                // Both: the admin client raises its API timeout to the request timeout when that is longer.
                "request.timeout.ms", TIMEOUT_MS,
                "default.api.timeout.ms", TIMEOUT_MS));
    }
}
