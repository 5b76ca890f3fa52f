package io.maestro.client.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.events.EventCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenIssuerTest {
    @TempDir
    Path dir;

    @Test
    void theKeyPairIsMadeOnceAndThePrivateKeyIsReadableByItsOwnerOnly() throws Exception {
        Path key = SigningKey.ensure(dir);
        String first = Files.readString(key);
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(SigningKey.ensure(dir)).isEqualTo(key);
        assertThat(Files.readString(key)).as("kept, not made again").isEqualTo(first);
        assertThat(Files.readString(dir.resolve(SigningKey.PUBLIC_KEY_FILE))).startsWith("-----BEGIN PUBLIC KEY-----");
    }

    @Test
    void aTokenCarriesSubjectScopesExpiryAndIdAndVerifiesWithThePublicKey() throws Exception {
        TokenIssuer issuer = new TokenIssuer(SigningKey.readPrivateKey(SigningKey.ensure(dir)));
        TokenIssuer.Issued issued = issuer.issue("alice", List.of("inventory:read", "provisioner:launch:staging-*"), Duration.ofDays(30));

        String[] parts = issued.token().split("\\.");
        JsonNode claims = EventCodec.mapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(claims.path("iss").asText()).isEqualTo("maestro");
        assertThat(claims.path("sub").asText()).isEqualTo("alice");
        assertThat(claims.path("scope").asText()).isEqualTo("inventory:read provisioner:launch:staging-*");
        assertThat(claims.path("jti").asText()).isEqualTo(issued.record().jti());
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(Duration.ofDays(30).toSeconds());
        assertThat(issued.record().subject()).isEqualTo("alice");
        assertThat(issued.record().revoked()).isFalse();

        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initVerify(SigningKey.readPublicKey(dir.resolve(SigningKey.PUBLIC_KEY_FILE)));
        rsa.update((parts[0] + "." + parts[1]).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThat(rsa.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
    }

    @Test
    void aTokenWithAnUnknownScopeNoScopeABadSubjectOrABadTtlIsNotMinted() {
        TokenIssuer issuer = new TokenIssuer(SigningKey.readPrivateKey(SigningKey.ensure(dir)));
        assertThatThrownBy(() -> issuer.issue("alice", List.of("inventory:raed"), Duration.ofDays(1))).hasMessageContaining("unknown scope");
        assertThatThrownBy(() -> issuer.issue("alice", List.of(), Duration.ofDays(1))).hasMessageContaining("at least one scope");
        assertThatThrownBy(() -> issuer.issue("al\nice", List.of("admin"), Duration.ofDays(1))).hasMessageContaining("control characters");
        assertThatThrownBy(() -> issuer.issue("alice", List.of("admin"), Duration.ZERO)).hasMessageContaining("ttl must be positive");
        assertThatThrownBy(() -> issuer.issue("alice", List.of("admin"), Duration.ofDays(4000))).hasMessageContaining("at most");
    }

    @Test
    void ttlsAreWrittenAsDaysHoursMinutesSecondsOrIso8601() {
        assertThat(TokenIssuer.parseTtl("30d")).isEqualTo(Duration.ofDays(30));
        assertThat(TokenIssuer.parseTtl("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(TokenIssuer.parseTtl("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(TokenIssuer.parseTtl("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(TokenIssuer.parseTtl("PT1H")).isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> TokenIssuer.parseTtl("30 days")).hasMessageContaining("must be a number with d, h, m or s");
    }
}
