package io.maestro.provisioner.ssh;

import io.maestro.localstack.LocalStackResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// In the application's class loader, where MINA registered the EdDSA provider (as in production).
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_provisioner"))
class SshKeysTest {
    private static final String ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOAo2jPTlfsXOxHEHMg+a1Z7PZxXABi7RoVVNAgv0L0O test@host";

    @Test
    void anEd25519LineAsSshKeygenWritesItIsAccepted() {
        assertThat(SshKeys.format(SshKeys.parse(ED25519))).isEqualTo(ED25519.substring(0, ED25519.lastIndexOf(' ')));
    }

    @Test
    void somethingElseIsRefused() {
        assertThatThrownBy(() -> SshKeys.parse("ssh-rsa not-base64")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SshKeys.parse("-----BEGIN OPENSSH PRIVATE KEY-----")).isInstanceOf(IllegalArgumentException.class);
    }
}
