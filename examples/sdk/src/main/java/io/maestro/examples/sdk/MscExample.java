package io.maestro.examples.sdk;

import io.maestro.client.MaestroEndpoints;
import io.maestro.client.election.ElectionClient;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * msc's README example on the SDK: units of one app elect a master, and a master per key; when the master leaves,
 * another takes over with a higher fencing token, so whatever the old one still writes can be refused.
 *
 * <pre>
 * var msc = new Msc({port: 8000, interval: 100, algorithm: 'aes128', key: 'adfhjewhrewkdf'});
 * msc.isMaster() // true if is master
 * </pre>
 */
public final class MscExample {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private MscExample() {
    }

    public static void main(String[] args) throws Exception {
        run(MaestroEndpoints.fromEnvironment(), System.getenv(MaestroEndpoints.TOKEN_VARIABLE), System.out);
    }

    public static void run(MaestroEndpoints endpoints, String token, PrintStream out) throws Exception {
        try (ElectionClient unit1 = unit(endpoints, token, "unit-1")) {
            // The first to join leads: unit-2 joins once unit-1 does, so the example reads the same every time.
            if (!unit1.awaitMaster(WAIT)) {
                throw new IllegalStateException("unit-1 was not elected within " + WAIT.toSeconds() + " s");
            }
            try (ElectionClient unit2 = unit(endpoints, token, "unit-2")) {
                unit1.doIfMaster(lease -> out.println("unit-1 isMaster: true, fencing token " + lease.fencingToken()));
                out.println("unit-2 isMaster: " + unit2.isMaster());
                awaitKeyHeld(List.of(unit1, unit2), "billing");
                for (ElectionClient unit : List.of(unit1, unit2)) {
                    unit.doIfMasterByKey("billing", lease -> out.println(unit.candidateId() + " is master of key billing"));
                }
                long first = unit1.lease().orElseThrow().fencingToken();
                unit1.quit(); // hands leadership over at once, without waiting for the lease to run out
                if (!unit2.awaitMaster(WAIT)) {
                    throw new IllegalStateException("unit-2 did not take over within " + WAIT.toSeconds() + " s");
                }
                long second = unit2.lease().orElseThrow().fencingToken();
                out.println("unit-1 quit; unit-2 isMaster: true, fencing token " + second + (second > first ? " (higher)" : " (NOT higher)"));
            }
        }
    }

    private static ElectionClient unit(MaestroEndpoints endpoints, String token, String id) {
        return ElectionClient.builder(endpoints.election(), "example-workers", id).token(token)
                .ttl(Duration.ofSeconds(2)).keys(List.of("billing")).start();
    }

    private static void awaitKeyHeld(List<ElectionClient> units, String key) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (units.stream().noneMatch(u -> u.isMasterByKey(key))) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("nobody holds key " + key + " after " + WAIT.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }
}
