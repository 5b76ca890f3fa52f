package io.maestro.client.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The suite's signing key pair, as PEM files in one directory: {@code private-key.pem} (PKCS#8, readable by its owner
 * only; only where tokens are minted) and {@code public-key.pem} (X.509, all every service needs to verify a token).
 */
public final class SigningKey {
    public static final String PRIVATE_KEY_FILE = "private-key.pem";
    public static final String PUBLIC_KEY_FILE = "public-key.pem";
    private static final int RSA_BITS = 2048;

    private SigningKey() {
    }

    /** The key pair in {@code dir}, created first when it has none. */
    public static Path ensure(Path dir) {
        Path privateKey = dir.resolve(PRIVATE_KEY_FILE);
        if (Files.exists(privateKey) && Files.exists(dir.resolve(PUBLIC_KEY_FILE))) {
            return privateKey;
        }
        try {
            Files.createDirectories(dir);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(RSA_BITS);
            KeyPair pair = generator.generateKeyPair();
            Path tmp = dir.resolve(PRIVATE_KEY_FILE + ".tmp");
            Files.deleteIfExists(tmp);
            // Created owner-only, so the key is never readable by others, not even for a moment.
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.writeString(dir.resolve(PUBLIC_KEY_FILE), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            Files.move(tmp, privateKey, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return privateKey;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the signing key in " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot generate RSA keys", e);
        }
    }

    public static PrivateKey readPrivateKey(Path file) {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der(Files.readString(file))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the signing key " + file, e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " is not a PKCS#8 PEM RSA private key");
        }
    }

    public static PublicKey readPublicKey(Path file) {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der(Files.readString(file))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the public key " + file, e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException(file + " is not a PEM RSA public key");
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static byte[] der(String pem) {
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").strip());
    }
}
