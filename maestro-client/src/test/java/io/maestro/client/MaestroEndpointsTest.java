package io.maestro.client;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MaestroEndpointsTest {
    @Test
    void defaultsAreTheSuitesLocalPorts() {
        MaestroEndpoints endpoints = MaestroEndpoints.from(Map.of());
        assertThat(endpoints.registry()).hasToString("http://127.0.0.1:8081");
        assertThat(endpoints.provisioner()).hasToString("http://127.0.0.1:8084");
    }

    @Test
    void stackEnvVariablesWin() {
        MaestroEndpoints endpoints = MaestroEndpoints.from(Map.of(MaestroEndpoints.ELECTION_VARIABLE, "http://10.1.2.3:9000"));
        assertThat(endpoints.election()).hasToString("http://10.1.2.3:9000");
        assertThat(endpoints.inventory()).hasToString("http://127.0.0.1:8083");
    }
}
