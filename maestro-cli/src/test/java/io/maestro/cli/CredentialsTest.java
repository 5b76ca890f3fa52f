package io.maestro.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which token the command line sends: --token, then MAESTRO_TOKEN, then ~/.maestro/config, then the local admin token. */
class CredentialsTest {
    @TempDir
    Path dir;

    private Path home() throws Exception {
        Path home = dir.resolve("home");
        Files.createDirectories(home.resolve("auth"));
        Files.writeString(home.resolve(Credentials.ADMIN_TOKEN_FILE), "admin-file-token\n");
        return home;
    }

    private Path config(String content) throws Exception {
        Path config = dir.resolve("config");
        Files.writeString(config, content);
        return config;
    }

    private static Optional<Credentials.Token> resolve(String flag, Map<String, String> env, Path config, Path home) {
        return Credentials.resolve(flag, env, Endpoints.read(config), config, home);
    }

    @Test
    void theFlagBeatsTheEnvironmentWhichBeatsTheConfigFileWhichBeatsTheLocalAdminToken() throws Exception {
        Path home = home();
        Path config = config("MAESTRO_REGISTRY_URL=http://10.0.0.5:8081\ntoken=config-token\n");
        Map<String, String> env = Map.of(Credentials.TOKEN_VARIABLE, "env-token");

        assertThat(resolve("flag-token", env, config, home)).contains(new Credentials.Token("flag-token", "--token"));
        assertThat(resolve(null, env, config, home)).contains(new Credentials.Token("env-token", "MAESTRO_TOKEN"));
        assertThat(resolve(null, Map.of(), config, home)).hasValueSatisfying(token -> {
            assertThat(token.value()).isEqualTo("config-token");
            assertThat(token.source()).isEqualTo("token= in " + config);
        });
        Files.delete(config);
        assertThat(resolve(null, Map.of(), config, home)).hasValueSatisfying(token -> {
            assertThat(token.value()).as("stripped of the file's newline").isEqualTo("admin-file-token");
            assertThat(token.source()).isEqualTo(home.resolve("auth/admin.token").toString());
        });
        Files.delete(home.resolve(Credentials.ADMIN_TOKEN_FILE));
        assertThat(resolve(null, Map.of(), config, home)).isEmpty();
    }

    @Test
    void blankValuesAreSkipped() throws Exception {
        // ./maestro exports an empty MAESTRO_TOKEN when the user had set it empty: the next source decides.
        Path home = home();
        Path config = config("token=  \n");
        assertThat(resolve("", Map.of(Credentials.TOKEN_VARIABLE, " "), config, home).map(Credentials.Token::value))
                .contains("admin-file-token");
    }

    @Test
    void aTokenWithBlanksInsideIsRefusedNamingItsSourceButNotItsText() throws Exception {
        assertThatThrownBy(() -> resolve(null, Map.of(Credentials.TOKEN_VARIABLE, "abc def"), config(""), home()))
                .isInstanceOf(CliException.class)
                .hasMessage("the token from MAESTRO_TOKEN is malformed: it contains blanks or control characters");
    }

    @Test
    void theHomeIsMaestroHomeElseDotMaestroHere() {
        assertThat(Credentials.home(Map.of(Credentials.HOME_VARIABLE, dir.toString()))).isEqualTo(dir);
        assertThat(Credentials.home(Map.of())).isEqualTo(Path.of(".maestro").toAbsolutePath());
    }

    @Test
    void theTokenIsNeverInItsStringForm() {
        assertThat(new Credentials.Token("secret-value", "MAESTRO_TOKEN").toString())
                .isEqualTo("token from MAESTRO_TOKEN").doesNotContain("secret");
    }
}
