package io.maestro.support.registration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The URL a replica announces by default follows how it serves: its HTTPS port when plain HTTP is off. */
class SelfRegistrationUrlTest {
    @Test
    void aReplicaServingHttpsOnlyAnnouncesItsHttpsUrl() {
        assertThat(SelfRegistration.defaultUrl("node-1", true, 8081, 9443)).isEqualTo("https://node-1:9443");
    }

    @Test
    void aReplicaServingPlainHttpAnnouncesItsHttpUrl() {
        assertThat(SelfRegistration.defaultUrl("node-1", false, 8081, 9443)).isEqualTo("http://node-1:8081");
    }
}
