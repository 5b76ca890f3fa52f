package io.maestro.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.client.auth.SigningKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** maestro token create / list / revoke, and the token the command line sends, against the real services. */
class TokenCommandsTest {
    private static final Pattern JTI = Pattern.compile("^token (\\S+) for ", Pattern.MULTILINE);

    @TempDir
    Path tmp;

    @BeforeAll
    static void suite() {
        SuiteFixture.start();
    }

    record Minted(String token, String jti) {
    }

    /** Mints with the suite's key found under $MAESTRO_HOME, as ./maestro token create does. */
    static Minted create(String subject, String scopes, String... more) {
        String[] args = new String[6 + more.length];
        System.arraycopy(new String[]{"token", "create", "--subject", subject, "--scopes", scopes}, 0, args, 0, 6);
        System.arraycopy(more, 0, args, 6, more.length);
        var result = SuiteFixture.run(args);
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out().lines()).as("only the token on stdout").hasSize(1);
        Matcher jti = JTI.matcher(result.err());
        assertThat(jti.find()).as(result.err()).isTrue();
        assertThat(result.err()).doesNotContain(result.out().strip());
        return new Minted(result.out().strip(), jti.group(1));
    }

    private static String subject(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aCreatedTokenWorksForItsScopesAndIsRefusedOutsideThem() {
        Minted alice = create(subject("alice"), "registry:read,inventory:read", "--ttl", "1h");
        assertThat(alice.token().split("\\.")).as("a JWS").hasSize(3);

        var services = SuiteFixture.run("--token", alice.token(), "services");
        assertThat(services.exitCode()).as(services.err()).isZero();
        assertThat(services.out()).contains("SERVICE");
        var after = SuiteFixture.run("group", "workers", "--token", alice.token());
        assertThat(after.err()).as("--token after the command is the one sent").contains("Forbidden: missing scope election:read");
        var query = SuiteFixture.run("--token", alice.token(), "inv", "query", "type:server");
        assertThat(query.exitCode()).as(query.err()).isZero();

        var group = SuiteFixture.run("--token", alice.token(), "group", "workers");
        assertThat(group.exitCode()).isEqualTo(1);
        assertThat(group.err().strip()).startsWith("error: election-service: Forbidden: missing scope election:read")
                .doesNotContain("\n").doesNotContain(alice.token());
        var launch = SuiteFixture.run("--token", alice.token(), "cluster", "launch", "forbidden-" + UUID.randomUUID().toString().substring(0, 6), "--dry-run");
        assertThat(launch.exitCode()).isEqualTo(1);
        assertThat(launch.err()).contains("provisioner-service: Forbidden: missing scope provisioner:launch");
    }

    @Test
    void aTokenSignedWithTheKeyGivenByFlagOrVariableIsRecordedAndListedWithoutItsText() throws Exception {
        Path key = SuiteFixture.suite().auth().privateKey();
        Minted byFlag = create(subject("bob"), "provisioner:read", "--key", key.toString());
        Minted byVariable = withEnvironment(env -> env.put("MAESTRO_SIGNING_KEY", key.toString()),
                () -> create(subject("carol"), "election:campaign:billing-*", "--ttl", "2d"));

        var table = SuiteFixture.run("token", "list");
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).contains("JTI", "SUBJECT", "SCOPES", "EXPIRES", "REVOKED")
                .contains(byFlag.jti()).contains(byVariable.jti()).contains("election:campaign:billing-*")
                .doesNotContain(byFlag.token()).doesNotContain(byVariable.token())
                .doesNotContain(byFlag.token().split("\\.")[2]);
        String line = table.out().lines().filter(l -> l.startsWith(byFlag.jti())).findFirst().orElseThrow();
        assertThat(line).contains("bob-").contains("provisioner:read").contains("active");

        var json = SuiteFixture.run("token", "list", "--json");
        assertThat(json.exitCode()).as(json.err()).isZero();
        assertThat(json.out()).doesNotContain(byFlag.token().split("\\.")[2]);
        JsonNode carol = null;
        for (JsonNode token : Http.read(json.out())) {
            if (token.path("jti").asText().equals(byVariable.jti())) {
                carol = token;
            }
        }
        assertThat(carol).as(json.out()).isNotNull();
        assertThat(carol.path("subject").asText()).startsWith("carol-");
        assertThat(carol.path("scopes").get(0).asText()).isEqualTo("election:campaign:billing-*");
        assertThat(carol.path("expiresAt").asText()).isNotEmpty();
        assertThat(carol.path("revokedAt").isNull() || carol.path("revokedAt").isMissingNode()).isTrue();
    }

    @Test
    void aRevokedTokenIsRefusedByTheServicesWithinFiveSeconds() {
        String subject = subject("dave");
        Minted dave = create(subject, "registry:read");
        assertThat(SuiteFixture.run("--token", dave.token(), "services").exitCode()).isZero();

        var revoke = SuiteFixture.run("token", "revoke", dave.jti());
        assertThat(revoke.exitCode()).as(revoke.err()).isZero();
        assertThat(revoke.out().strip()).isEqualTo("revoked " + dave.jti() + " (subject " + subject + ")");
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            var refused = SuiteFixture.run("--token", dave.token(), "services");
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.err().strip()).startsWith("error: registry-service: Unauthorized: ")
                    .contains("the token from --token was refused").contains("maestro token create").doesNotContain("\n");
        });
        assertThat(SuiteFixture.run("token", "list").out().lines().filter(l -> l.startsWith(dave.jti())).findFirst().orElseThrow())
                .contains("revoked");
        assertThat(SuiteFixture.run("token", "revoke", dave.jti()).out()).contains("already revoked");
    }

    @Test
    void badSubjectScopeOrTtlIsAUsageErrorNamingTheRuleAndMintsNothing() {
        assertUsageError(SuiteFixture.run("token", "create", "--subject", "eve", "--scopes", "inventory:delete"),
                "unknown scope 'inventory:delete'; known scopes: admin, registry:read");
        assertUsageError(SuiteFixture.run("token", "create", "--subject", "eve", "--scopes", "registry:register:pay ments"),
                "must be 1 to 253 of A-Z a-z 0-9 . _ - and *");
        assertUsageError(SuiteFixture.run("token", "create", "--subject", "eve", "--scopes", "registry:read", "--ttl", "30x"),
                "ttl '30x' must be a number with d, h, m or s");
        assertUsageError(SuiteFixture.run("token", "create", "--subject", "eve", "--scopes", "registry:read", "--ttl", "4000d"),
                "ttl must be positive and at most 3650 days");
        assertUsageError(SuiteFixture.run("token", "create", "--subject", " ", "--scopes", "registry:read"),
                "subject must be 1 to 256 characters");
        assertUsageError(SuiteFixture.run("token", "create", "--scopes", "registry:read"), "--subject");
        assertUsageError(SuiteFixture.run("token", "revoke", "a b"), "JTI must be");
    }

    private static void assertUsageError(SuiteFixture.Result result, String rule) {
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.err()).contains(rule);
        assertThat(result.out()).isEmpty();
    }

    @Test
    void withoutTheLedgerNothingIsPrintedUnlessNoLedgerIsAsked() {
        var unreachable = SuiteFixture.run("--kafka", "127.0.0.1:1", "token", "create", "--subject", "gina", "--scopes", "registry:read");
        assertThat(unreachable.exitCode()).isEqualTo(1);
        assertThat(unreachable.err().strip()).startsWith("error: cannot record the token on the ledger (Kafka at 127.0.0.1:1)")
                .contains("--no-ledger").doesNotContain("\n");
        assertThat(unreachable.out()).isEmpty();

        Minted offline = create(subject("henry"), "registry:read", "--kafka", "127.0.0.1:1", "--no-ledger");
        assertThat(SuiteFixture.run("--token", offline.token(), "services").exitCode()).isZero();
        assertThat(SuiteFixture.run("token", "list").out()).doesNotContain(offline.jti());
    }

    @Test
    void withoutASigningKeyNothingIsMinted() {
        var result = SuiteFixture.run("token", "create", "--subject", "frank", "--scopes", "admin", "--key", tmp.resolve("none.pem").toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err().strip()).startsWith("error: no signing key at " + tmp.resolve("none.pem")).doesNotContain("\n");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void withoutAnyTokenOrWithOneOfAnotherKeyTheServicesAnswer401WithAHint() {
        var none = withEnvironment(env -> {
            env.remove(Credentials.TOKEN_VARIABLE);
            env.put(Credentials.HOME_VARIABLE, tmp.toString()); // no auth/admin.token there
        }, () -> SuiteFixture.run("services"));
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.err().strip()).startsWith("error: registry-service: Unauthorized: ")
                .contains("no token was sent: pass --token, set MAESTRO_TOKEN").doesNotContain("\n");

        Path otherKey = SigningKey.ensure(tmp.resolve("other"));
        Minted forged = create(subject("mallory"), "admin", "--key", otherKey.toString());
        var refused = SuiteFixture.run("--token", forged.token(), "services");
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err().strip()).startsWith("error: registry-service: Unauthorized: ")
                .contains("the token from --token was refused");
    }

    @Test
    void theTokenSentIsTheFlagThenMaestroTokenThenTheConfigFileThenTheLocalAdminToken() throws Exception {
        // registry:read only: an inventory query answers 403 with it, and works with the admin token.
        String reader = create(subject("reader"), "registry:read").token();
        Path config = tmp.resolve("config");
        Files.writeString(config, "token=" + reader + "\n");

        // The local admin token under $MAESTRO_HOME, when nothing else is given.
        assertThat(withEnvironment(env -> env.remove(Credentials.TOKEN_VARIABLE), () -> SuiteFixture.run("inv", "query", "type:server")).exitCode())
                .isZero();
        // The config file beats it.
        assertThat(withConfig(config, () -> withEnvironment(env -> env.remove(Credentials.TOKEN_VARIABLE),
                () -> SuiteFixture.run("inv", "query", "type:server"))).err()).contains("Forbidden: missing scope inventory:read");
        // MAESTRO_TOKEN beats the config file (it is the admin token here) ...
        assertThat(withConfig(config, () -> SuiteFixture.run("inv", "query", "type:server")).exitCode()).isZero();
        // ... and --token beats MAESTRO_TOKEN.
        assertThat(SuiteFixture.run("--token", reader, "inv", "query", "type:server").err()).contains("Forbidden: missing scope inventory:read");
    }

    private static <T> T withEnvironment(Consumer<Map<String, String>> change, java.util.function.Supplier<T> action) {
        Map<String, String> saved = Endpoints.environment;
        Map<String, String> changed = new HashMap<>(saved);
        change.accept(changed);
        Endpoints.environment = changed;
        try {
            return action.get();
        } finally {
            Endpoints.environment = saved;
        }
    }

    private static <T> T withConfig(Path config, java.util.function.Supplier<T> action) {
        Path saved = Endpoints.userConfig;
        Endpoints.userConfig = config;
        try {
            return action.get();
        } finally {
            Endpoints.userConfig = saved;
        }
    }
}
