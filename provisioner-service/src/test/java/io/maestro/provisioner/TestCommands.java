package io.maestro.provisioner;

import io.maestro.events.ProvisioningCommand;

import java.time.Instant;

/** Commands the tests store by hand. */
public final class TestCommands {
    private TestCommands() {
    }

    /** A STOP of {@code cluster} issued by ops-alice. */
    public static ProvisioningCommand stop(String id, String cluster) {
        return new ProvisioningCommand(id, Instant.now(), ProvisioningCommand.Type.STOP, cluster, null, null, null, null, null, null, null, null, null, null, "ops-alice");
    }
}
