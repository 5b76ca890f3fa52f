package io.maestro.suite;

import io.maestro.client.MaestroEndpoints;
import io.maestro.client.provisioner.Driver;
import io.maestro.examples.sdk.ClustoExample;
import io.maestro.examples.sdk.MaestroJsExample;
import io.maestro.examples.sdk.MscExample;
import io.maestro.examples.sdk.TinycloudExample;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The four originals' README examples, rewritten with the SDK ({@code examples/sdk}), run against the fleet as a user would run them. */
@Order(2) // on the whole fleet, before the scale-out test kills replicas
class SdkExamplesTest {
    static final Fleet FLEET = Fleet.get();

    private static MaestroEndpoints endpoints() {
        return new MaestroEndpoints(url("registry-service"), url("election-service"), url("inventory-service"), url("provisioner-service"));
    }

    private static URI url(String service) {
        return URI.create(FLEET.replicas(service).get(0).url());
    }

    private interface Example {
        void run(PrintStream out) throws Exception;
    }

    private static String output(Example example) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            example.run(out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void maestroJsExampleStartsTheApiOnceRedisRegisteredAndRegistersIt() throws Exception {
        String out = output(o -> MaestroJsExample.run(endpoints(), Fleet.adminToken(), o));
        assertThat(out).contains("services.api waits for [services.redis]")
                .contains("services.redis is at [redis://127.0.0.1:6379]")
                .contains("services.api started")
                .contains("services.api is registered as [http://198.176.45.68:8080]");
    }

    @Test
    void mscExampleElectsAMasterAndHandsOverWithAHigherFencingToken() throws Exception {
        String out = output(o -> MscExample.run(endpoints(), Fleet.adminToken(), o));
        assertThat(out).containsPattern("unit-1 isMaster: true, fencing token \\d+")
                .contains("unit-2 isMaster: false")
                .containsPattern("unit-[12] is master of key billing")
                .containsPattern("unit-1 quit; unit-2 isMaster: true, fencing token \\d+ \\(higher\\)");
    }

    @Test
    void tinycloudExampleLaunchesVoltronRunsACommandOnEachNodeAndDestroysIt() throws Exception {
        String out = output(o -> TinycloudExample.run(endpoints(), Fleet.adminToken(), Driver.local(), o));
        assertThat(out).contains("NODE_RUNNING primary-0", "NODE_RUNNING worker-0", "launch SUCCEEDED")
                .contains("primary-0 running at", "worker-0 running at")
                .contains("primary-0 ran uname -s: exit 0, Linux", "worker-0 ran uname -s: exit 0, Linux")
                .contains("destroy SUCCEEDED");
    }

    @Test
    void clustoExampleAllocatesFourServersEachInADifferentRack() throws Exception {
        String out = output(o -> ClustoExample.run(endpoints(), Fleet.adminToken(), o));
        assertThat(out).contains("datacenter Z: 10 servers in 5 racks").contains("still unallocated: 6")
                .containsPattern("example-dcz-rack\\d-s\\d is in \\[example-dcz-rack\\d \\(unit [13]\\), example-dcz\\]")
                .doesNotContain("could not remove");
        assertThat(out.lines().filter(line -> line.startsWith("allocated ")).map(line -> line.split(" in ")[1].split(",")[0]).distinct())
                .as("racks of the four allocated servers").hasSize(4);
    }
}
