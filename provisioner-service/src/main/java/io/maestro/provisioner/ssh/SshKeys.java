package io.maestro.provisioner.ssh;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;

/** OpenSSH public key lines and key files, on top of MINA SSHD's parsers. */
public final class SshKeys {
    private SshKeys() {
    }

    /** Parses an OpenSSH public key line ({@code ssh-ed25519 AAAA... comment}); throws IllegalArgumentException. */
    public static PublicKey parse(String line) {
        try {
            PublicKey key = PublicKeyEntry.parsePublicKeyEntry(line.trim())
                    .resolvePublicKey(null, null, PublicKeyEntryResolver.FAILING);
            if (key == null) {
                throw new IllegalArgumentException("unsupported key type");
            }
            return key;
        } catch (Exception e) {
            throw new IllegalArgumentException("not an OpenSSH public key line", e);
        }
    }

    /** The OpenSSH line of a key, without comment. */
    public static String format(PublicKey key) {
        return PublicKeyEntry.toString(key);
    }

    public static String fingerprint(PublicKey key) {
        return KeyUtils.getFingerPrint(key);
    }

    public static boolean same(PublicKey a, PublicKey b) {
        return KeyUtils.compareKeys(a, b);
    }

    /**
     * A key pair kept in {@code file}, generated (ECDSA P-256) on first use and reused afterwards, so a node keeps
     * its host key and the service its identity across restarts. The file is readable by its owner only.
     */
    public static KeyPairProvider persistentKeyPair(Path file) {
        SimpleGeneratorHostKeyProvider provider = new SimpleGeneratorHostKeyProvider(file);
        provider.setAlgorithm(KeyUtils.EC_ALGORITHM);
        provider.setKeySize(256);
        return provider;
    }

    public static KeyPair load(KeyPairProvider provider) {
        try {
            return provider.loadKeys(null).iterator().next();
        } catch (Exception e) {
            throw new IllegalStateException("cannot load or create an SSH key pair", e);
        }
    }
}
