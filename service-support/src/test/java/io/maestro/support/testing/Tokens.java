package io.maestro.support.testing;

import io.maestro.client.auth.SigningKey;
import io.maestro.client.auth.TokenIssuer;
import io.maestro.client.auth.TokenLedger;
import io.maestro.events.TokenRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Tokens for a service under test, signed with the test JVM's key (the one {@code LocalStackResource} hands the
 * service), and the bad ones access control must refuse: expired, signed by another key, revoked.
 */
public final class Tokens {
    private static final String AUTH_DIR_PROPERTY = "maestro.test.auth-dir";
    private static TokenIssuer issuer;
    private static String admin;

    private Tokens() {
    }

    /** The issuer of the test JVM's key, for tokens of any life. */
    public static synchronized TokenIssuer issuer() {
        if (issuer == null) {
            issuer = new TokenIssuer(privateKey());
        }
        return issuer;
    }

    /** A token of {@code subject} with {@code scopes}, valid for an hour. */
    public static String of(String subject, String... scopes) {
        return issuer().issue(subject, List.of(scopes), Duration.ofHours(1)).token();
    }

    /** The admin token every test request carries unless it says otherwise (see {@link DocumentedStatuses}). */
    public static synchronized String admin() {
        if (admin == null) {
            admin = of("test-admin", "admin");
        }
        return admin;
    }

    public static String bearer(String token) {
        return "Bearer " + token;
    }

    /** Signed by the suite's key, with every scope, but expired an hour ago (which TokenIssuer never mints). */
    public static String expired() {
        Instant past = Instant.now().minus(Duration.ofHours(2));
        return sign(privateKey(), "expired-admin", "admin", past, past.plus(Duration.ofHours(1)));
    }

    /** Well formed, with every scope, but signed by a key that is not the suite's. */
    public static String signedByAnotherKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return new TokenIssuer(generator.generateKeyPair().getPrivate()).issue("impostor", List.of("admin"), Duration.ofHours(1)).token();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An admin token, revoked on the service's Kafka; the service refuses it once it has read the revocation. */
    public static String revoked() {
        TokenIssuer.Issued issued = issuer().issue("revoked-admin", List.of("admin"), Duration.ofHours(1));
        revoke(issued.record());
        return issued.token();
    }

    /** Publishes the revocation of a token on the service's Kafka. */
    public static void revoke(TokenRecord token) {
        String bootstrap = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        try (TokenLedger ledger = TokenLedger.at(bootstrap)) {
            ledger.record(token.revoke(Instant.now(), "test"));
        }
    }

    public static TokenIssuer.Issued issue(String subject, String... scopes) {
        return issuer().issue(subject, List.of(scopes), Duration.ofHours(1));
    }

    private static PrivateKey privateKey() {
        Path dir = Path.of(System.getProperty(AUTH_DIR_PROPERTY, Path.of("target", "local-stack", "auth").toAbsolutePath().toString()));
        Path key = dir.resolve(SigningKey.PRIVATE_KEY_FILE);
        if (!Files.exists(key)) {
            throw new IllegalStateException("no test signing key in " + dir + ": is the test's application on LocalStackResource?");
        }
        return SigningKey.readPrivateKey(key);
    }

    private static String sign(PrivateKey key, String subject, String scope, Instant issued, Instant expires) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(TokenIssuer.ISSUER);
        claims.setSubject(subject);
        claims.setClaim("scope", scope);
        claims.setIssuedAt(NumericDate.fromSeconds(issued.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(expires.getEpochSecond()));
        claims.setJwtId(UUID.randomUUID().toString());
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
