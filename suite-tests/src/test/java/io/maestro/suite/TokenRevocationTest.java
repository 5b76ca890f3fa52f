package io.maestro.suite;

import io.maestro.client.auth.TokenIssuer;
import io.maestro.client.auth.TokenLedger;
import io.maestro.localstack.ServiceProcess;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A revoked token stops working on every replica of every service within 5 s: each follows the compacted
 * {@code maestro.auth.tokens} topic on its own, with no call between services.
 */
@Order(2) // on the whole fleet, before the scale-out test kills replicas
class TokenRevocationTest {
    static final Fleet FLEET = Fleet.get();
    /** A read operation of each service that answers 200 to a token with its read scope. */
    private static final Map<String, String> READS = Map.of(
            "registry-service", "/v1/services",
            "election-service", "/v1/groups/revocation-probe",
            "inventory-service", "/v1/entities?limit=1",
            "provisioner-service", "/v1/clusters");

    @Test
    void aRevokedTokenIsRefusedByEveryReplicaOfEveryServiceWithinFiveSeconds() {
        TokenIssuer.Issued issued = FLEET.suite.auth().issuer().issue("carol",
                List.of("registry:read", "election:read", "inventory:read", "provisioner:read"), Duration.ofHours(1));
        List<String> targets = READS.entrySet().stream()
                .flatMap(read -> FLEET.replicas(read.getKey()).stream().map(ServiceProcess::url).map(url -> url + read.getValue()))
                .toList();
        assertThat(targets).hasSize(4 * Fleet.REPLICAS);
        for (String target : targets) {
            assertThat(Fleet.get(target, issued.token()).status()).as("before the revocation: " + target).isEqualTo(200);
        }

        long start = System.nanoTime();
        try (TokenLedger ledger = TokenLedger.at(FLEET.stack.kafka().bootstrapServers())) {
            ledger.revoke(issued.record().jti(), "suite-test");
        }
        long[] refusedAfterMillis = new long[targets.size()];
        long deadline = start + Duration.ofSeconds(5).toNanos();
        for (int i = 0; i < targets.size(); i++) {
            String target = targets.get(i);
            // all within 5 s of the revocation, not 5 s each
            await().atMost(Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))).pollInterval(Duration.ofMillis(20))
                    .untilAsserted(() -> assertThat(Fleet.get(target, issued.token()).status()).as("refused by " + target).isEqualTo(401));
            refusedAfterMillis[i] = (System.nanoTime() - start) / 1_000_000;
        }
        System.out.printf("revocation: refused by all %d replicas after %s ms (each in turn)%n", targets.size(),
                java.util.Arrays.toString(refusedAfterMillis));

        // Another token of the same subject is unaffected: revocation is by token, not by subject.
        String other = FLEET.suite.auth().issuer().issue("carol", List.of("registry:read"), Duration.ofHours(1)).token();
        String registry = FLEET.replicas("registry-service").get(1).url() + "/v1/services";
        assertThat(Fleet.get(registry, other).status()).isEqualTo(200);
        assertThat(Fleet.get(registry, null).status()).as("no token").isEqualTo(401);
    }
}
