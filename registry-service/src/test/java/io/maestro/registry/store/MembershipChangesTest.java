package io.maestro.registry.store;

import io.maestro.events.ServiceMembershipChanged.ServiceInstance;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The instance list as the scripts write it (cjson of rows whose attributes are a JSON object kept as a string). */
class MembershipChangesTest {

    @Test
    void rowsBecomeInstancesInTheirOrderWithTheirAttributesAndTimes() {
        String json = "[[\"node-1\",\"http://10.0.0.1:80\",\"{\\\"zone\\\":\\\"a\\\\\\\"\\u00e9\\\"}\",1764570000123,1764570030123],"
                + "[\"node-2\",\"http://10.0.0.2:80\",\"{}\",1764570000000,1.764570060e+12]]";

        assertThat(MembershipChanges.instances(json)).containsExactly(
                new ServiceInstance("node-1", "http://10.0.0.1:80", Map.of("zone", "a\"é"),
                        Instant.ofEpochMilli(1764570000123L), Instant.ofEpochMilli(1764570030123L)),
                new ServiceInstance("node-2", "http://10.0.0.2:80", Map.of(),
                        Instant.ofEpochMilli(1764570000000L), Instant.ofEpochMilli(1764570060000L)));
    }

    @Test
    void anEmptyListIsNoInstances() {
        assertThat(MembershipChanges.instances("[]")).isEmpty();
    }

    @Test
    void aDamagedListIsRefusedNamingWhereItCameFrom() {
        assertThatThrownBy(() -> MembershipChanges.instances("[[\"node-1\",\"http://x\",\"{}\",1]]"))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("unreadable instance list in Redis");
        assertThatThrownBy(() -> MembershipChanges.instances("{}"))
                .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("unreadable instance list in Redis");
    }
}
