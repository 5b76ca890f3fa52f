package io.maestro.provisioner.ssh;

import io.maestro.provisioner.config.ProvisionerConfig;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;

/**
 * The provisioner's own SSH key: nodes accept it so the service can run commands on them. The private half lives
 * only in {@code <data-dir>/service-key} (owner-only permissions) and never appears in a log or a response.
 * Replicas that share a data directory share the identity.
 */
@ApplicationScoped
public class ServiceIdentity {
    private final KeyPair keyPair;

    @Inject
    public ServiceIdentity(ProvisionerConfig config) {
        Path dir = config.dataDir();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + dir, e);
        }
        this.keyPair = SshKeys.load(SshKeys.persistentKeyPair(dir.resolve("service-key")));
        Log.infof("provisioner SSH identity %s", SshKeys.fingerprint(keyPair.getPublic()));
    }

    public KeyPair keyPair() {
        return keyPair;
    }

    public PublicKey publicKey() {
        return keyPair.getPublic();
    }
}
