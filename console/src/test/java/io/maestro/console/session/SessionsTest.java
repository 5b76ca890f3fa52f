package io.maestro.console.session;

import io.maestro.client.auth.SigningKey;
import io.maestro.client.auth.TokenIssuer;
import io.maestro.console.ConsoleConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The session store on its own: ids, CSRF secrets, and who goes first when it is full. */
class SessionsTest {
    private static Sessions sessions(int max) {
        return new Sessions(new ConsoleConfig() {
            public List<URI> registryUrl() { return List.of(); }
            public Optional<String> discoveryToken() { return Optional.empty(); }
            public Duration requestTimeout() { return Duration.ofSeconds(1); }
            public Session session() {
                return new Session() {
                    public Duration idleTimeout() { return Duration.ofHours(1); }
                    public int maxSessions() { return max; }
                };
            }
            public Events events() {
                return () -> 10;
            }
            public LoginLink loginLink() {
                return new LoginLink() {
                    public Optional<String> code() { return Optional.empty(); }
                    public Optional<Path> tokenFile() { return Optional.empty(); }
                };
            }
        });
    }

    private static String token(String subject, String... scopes) throws Exception {
        return new TokenIssuer(SigningKey.readPrivateKey(SigningKey.ensure(Files.createTempDirectory("keys"))))
                .issue(subject, List.of(scopes), Duration.ofHours(1)).token();
    }

    @Test
    void aFloodOfSignInPagesSignsNobodyOut() throws Exception {
        Sessions sessions = sessions(3);
        ConsoleSession alice = sessions.signIn(token("alice", "admin"), null);
        for (int i = 0; i < 50; i++) {
            sessions.anonymous();
        }
        assertThat(sessions.size()).isLessThanOrEqualTo(3);
        assertThat(sessions.find(alice.id())).hasValueSatisfying(found -> assertThat(found.subject()).isEqualTo("alice"));
    }

    @Test
    void signingInGivesANewIdAndDropsTheSignInPagesOne() throws Exception {
        Sessions sessions = sessions(10);
        ConsoleSession page = sessions.anonymous();
        ConsoleSession signedIn = sessions.signIn(token("bob", "inventory:read"), page.id());
        assertThat(signedIn.id()).isNotEqualTo(page.id()).hasSize(43);
        assertThat(signedIn.csrf()).isNotEqualTo(page.csrf());
        assertThat(sessions.find(page.id())).isEmpty();
        assertThat(signedIn.may("inventory:read")).isTrue();
        assertThat(signedIn.may("registry:read")).isFalse();
    }

    @Test
    void theCsrfSecretMustMatchExactly() {
        ConsoleSession page = sessions(10).anonymous();
        assertThat(Sessions.csrfMatches(page, page.csrf())).isTrue();
        assertThat(Sessions.csrfMatches(page, page.csrf() + "x")).isFalse();
        assertThat(Sessions.csrfMatches(page, null)).isFalse();
        assertThat(Sessions.csrfMatches(page, "")).isFalse();
    }
}
