package io.maestro.provisioner;

import org.apache.sshd.common.SshException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;

import static org.assertj.core.api.Assertions.assertThat;

class FailuresTest {

    @Test
    void theReasonIsTheInnermostCausesOwnWords() {
        SshException wrapped = new SshException("Failed (ConnectException) to execute: Connection refused", new ConnectException("Connection refused"));
        assertThat(Failures.reason(new IllegalStateException(wrapped))).isEqualTo("Connection refused");
    }

    @Test
    void classNamesAreTakenOutOfMessages() {
        assertThat(Failures.clean("java.net.ConnectException: Connection refused")).isEqualTo("Connection refused");
        assertThat(Failures.clean("cannot build io.maestro.provisioner.rest.ApiModels$LaunchRequest from 3"))
                .isEqualTo("cannot build from 3");
        assertThat(Failures.clean("Failed (SshException) to execute")).isEqualTo("Failed to execute");
        assertThat(Failures.clean("IllegalStateException: lease lost")).isEqualTo("lease lost");
    }

    @Test
    void ordinaryWordsHostsAndNamesAreLeftAlone() {
        String message = "node a/0 does not answer SSH at ec2-1-2-3-4.compute.amazonaws.com: Error reading, cluster 'lab.v1'";
        assertThat(Failures.clean(message)).isEqualTo(message);
    }

    @Test
    void aCauseWithoutAMessageStillGivesAReason() {
        assertThat(Failures.reason(new RuntimeException(new IOException()))).isNotBlank().doesNotContain("Exception");
    }
}
