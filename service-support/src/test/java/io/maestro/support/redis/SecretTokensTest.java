package io.maestro.support.redis;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SecretTokensTest {

    @Test
    void aNewTokenIs256RandomBitsUrlSafeAndWellFormed() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String token = SecretTokens.newToken();
            assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
            assertThat(SecretTokens.isWellFormed(token)).isTrue();
            seen.add(token);
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void whatIsStoredIsTheSha256OfTheTokenNeverTheTokenItself() {
        assertThat(SecretTokens.hash("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        String token = SecretTokens.newToken();
        assertThat(SecretTokens.hash(token)).hasSize(64).isEqualTo(SecretTokens.hash(token)).doesNotContain(token);
    }

    @Test
    void aChosenTokenMustBeAsLongAndAsRandomLookingAsAnIssuedOne() {
        assertThat(SecretTokens.isWellFormed("short")).isFalse();
        assertThat(SecretTokens.isWellFormed("a".repeat(31))).isFalse();
        assertThat(SecretTokens.isWellFormed("a".repeat(32))).isTrue();
        assertThat(SecretTokens.isWellFormed("a".repeat(257))).isFalse();
        assertThat(SecretTokens.isWellFormed("with spaces and more than thirty-two chars")).isFalse();
        assertThat(SecretTokens.isWellFormed(null)).isFalse();
    }
}
