package io.maestro.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.client.auth.SigningKey;
import io.maestro.client.auth.TokenIssuer;
import io.maestro.client.auth.TokenLedger;
import io.maestro.events.EventCodec;
import io.maestro.events.TokenRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The access control of a local suite, in one directory ({@code .maestro/auth} for {@code ./maestro up}): the
 * suite's signing key pair, the local user's admin token ({@value #ADMIN_TOKEN_FILE}) and the services' own token
 * ({@value #SERVICE_TOKEN_FILE}, {@value #SERVICE_SCOPE}, {@value #CHECKS_SCOPE} and {@value #CHECKS_READ_SCOPE}: enough to register themselves
 * and, for the registry's replicas, to share the health checks; nothing else). Key and tokens are made on first use and
 * kept (owner-only files); a token is minted again when it has less than a day left or other scopes than it should. What the services need is {@link #serviceEnvironment()}: the public key's path and their token.
 */
public final class SuiteAuth {
    public static final String ADMIN_TOKEN_FILE = "admin.token";
    public static final String SERVICE_TOKEN_FILE = "service.token";
    /** What a service's self-registration needs. */
    public static final String SERVICE_SCOPE = "registry:register:maestro.*";
    /**
     * What the registry's replicas need to share the health checks through the election service: campaign, and read
     * the group's changes (the SDK's watch, so a replica takes a dead one's shards as soon as they are its own).
     */
    public static final String CHECKS_SCOPE = "election:campaign:maestro.registry-checks";
    public static final String CHECKS_READ_SCOPE = "election:read:maestro.registry-checks";
    public static final String SERVICE_SUBJECT = "maestro-services";
    public static final String CONSOLE_TOKEN_FILE = "console.token";
    /** What the console needs of its own: finding the suite's services. */
    public static final String CONSOLE_SCOPE = "registry:read:maestro.*";
    public static final String CONSOLE_SUBJECT = "maestro-console";
    private static final Duration TOKEN_TTL = Duration.ofDays(365);

    private final Path dir;
    private final TokenIssuer issuer;
    private final List<TokenRecord> minted = new ArrayList<>();

    private SuiteAuth(Path dir) {
        this.dir = dir;
        this.issuer = new TokenIssuer(SigningKey.readPrivateKey(SigningKey.ensure(dir)));
    }

    /** The key pair in {@code dir}, made when missing. */
    public static SuiteAuth in(Path dir) {
        return new SuiteAuth(dir);
    }

    public Path dir() {
        return dir;
    }

    public Path publicKey() {
        return dir.resolve(SigningKey.PUBLIC_KEY_FILE);
    }

    public Path privateKey() {
        return dir.resolve(SigningKey.PRIVATE_KEY_FILE);
    }

    public TokenIssuer issuer() {
        return issuer;
    }

    /** A new token (not recorded on the ledger: for tests). */
    public String token(String subject, String... scopes) {
        return issuer.issue(subject, List.of(scopes), Duration.ofDays(1)).token();
    }

    /** The local user's admin token: what the CLI uses when given no other. */
    public synchronized String adminToken() {
        return kept(ADMIN_TOKEN_FILE, System.getProperty("user.name", "admin"), List.of("admin"));
    }

    /** The services' token, for their self-registration. */
    public synchronized String serviceToken() {
        return kept(SERVICE_TOKEN_FILE, SERVICE_SUBJECT, List.of(SERVICE_SCOPE, CHECKS_SCOPE, CHECKS_READ_SCOPE));
    }

    /** The console's token, to find the suite's services in the registry whoever signed in: it reads {@code maestro.*}, nothing else. */
    public synchronized String consoleToken() {
        return kept(CONSOLE_TOKEN_FILE, CONSOLE_SUBJECT, List.of(CONSOLE_SCOPE));
    }

    /** What every service of the suite gets: the public key that verifies tokens, and its own token. */
    public Map<String, String> serviceEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION", publicKey().toString());
        env.put("MAESTRO_SELF_REGISTRATION_TOKEN", serviceToken());
        return env;
    }

    /** Records the tokens minted since the last call on the suite's ledger, so {@code maestro token list} shows them. */
    public synchronized void recordMinted(String kafkaBootstrapServers) {
        recordMinted(Map.of("bootstrap.servers", kafkaBootstrapServers));
    }

    /** @param kafka the Kafka client settings of a user who may write the ledger (on a secured stack, the administrator) */
    public synchronized void recordMinted(Map<String, ?> kafka) {
        if (minted.isEmpty()) {
            return;
        }
        try (TokenLedger ledger = new TokenLedger(kafka)) {
            minted.forEach(ledger::record);
        }
        minted.clear();
    }

    private String kept(String file, String subject, List<String> scopes) {
        Path path = dir.resolve(file);
        try {
            if (Files.exists(path)) {
                String token = Files.readString(path).strip();
                if (expiry(token).isAfter(Instant.now().plus(Duration.ofDays(1))) && String.join(" ", scopes).equals(scope(token))) {
                    return token;
                }
            }
            TokenIssuer.Issued issued = issuer.issue(subject, scopes, TOKEN_TTL);
            Path tmp = dir.resolve(file + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, issued.token() + "\n");
            Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            minted.add(issued.record());
            return issued.token();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the token " + path, e);
        }
    }

    /** A token's expiry as it claims (unverified: only to know when to mint a new one); the epoch when unreadable. */
    static Instant expiry(String token) {
        return Instant.ofEpochSecond(claims(token).path("exp").asLong(0));
    }

    /** A token's scopes as it claims them (unverified), space-separated; "" when unreadable. */
    static String scope(String token) {
        return claims(token).path("scope").asText("");
    }

    private static JsonNode claims(String token) {
        try {
            String[] parts = token.split("\\.");
            return EventCodec.mapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException | RuntimeException e) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
    }
}
