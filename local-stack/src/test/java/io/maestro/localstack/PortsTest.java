package io.maestro.localstack;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PortsTest {
    @Test
    void freePortsAreNeverHandedOutTwiceAndStayClearOfTheEphemeralRange() {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ports.add(Ports.free());
        }
        assertThat(ports).doesNotHaveDuplicates().allSatisfy(port -> assertThat(Ports.isFree(port)).isTrue());
        int ephemeral = Ports.ephemeralRangeStart();
        if (Files.exists(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))) {
            assertThat(ephemeral).as("the first ephemeral port, as Linux says").isBetween(1024, 65535);
        }
        if (ephemeral - 20000 >= 1000) {
            // Where the OS leaves room below its ephemeral range, no client connection can take these ports.
            assertThat(ports).allSatisfy(port -> assertThat(port).isBetween(20000, ephemeral - 1));
        }
    }
}
