package io.maestro.registry.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Ownership tokens: 256 random bits handed to the registering caller once; Redis keeps only their SHA-256,
 * so neither Redis, the listings, the events nor the logs ever hold a usable token.
 */
public final class Tokens {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {
    }

    /** What a token chosen by a caller must look like: as long and as random-looking as the ones issued here. */
    public static final java.util.regex.Pattern CHOSEN = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{32,256}");

    public static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
