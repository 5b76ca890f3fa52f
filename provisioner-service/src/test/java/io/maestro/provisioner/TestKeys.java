package io.maestro.provisioner;

import io.maestro.provisioner.ssh.SshKeys;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/** A user's SSH key pair, as a user would make with ssh-keygen. */
public final class TestKeys {
    private TestKeys() {
    }

    public static KeyPair userKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String publicLine(KeyPair pair) {
        return SshKeys.format(pair.getPublic()) + " user@laptop";
    }
}
