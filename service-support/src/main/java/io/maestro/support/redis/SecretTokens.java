package io.maestro.support.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Secret tokens a service hands out once (an instance's ownership token, a candidate's token): 256 random bits,
 * URL-safe base64. Redis keeps only their SHA-256 ({@link #hash}), so neither Redis, listings, events nor logs ever
 * hold a usable token. Scripts compare hashes, never tokens: timing reveals nothing about a token, so no
 * constant-time comparison is needed.
 */
public final class SecretTokens {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** As long and as random-looking as an issued token (43 characters); what a token chosen by a caller must match. */
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_-]{32,256}");

    private SecretTokens() {
    }

    public static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The SHA-256 of {@code token}, lower-case hex: what is stored and compared. */
    public static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a token a caller chose is as long and as random-looking as an issued one. */
    public static boolean isWellFormed(String token) {
        return token != null && WELL_FORMED.matcher(token).matches();
    }
}
