package io.maestro.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The bearer token the command line sends to every service. First found wins:
 * <ol>
 *     <li>{@code --token TOKEN};</li>
 *     <li>the environment variable {@value #TOKEN_VARIABLE};</li>
 *     <li>{@code token=TOKEN} in {@code ~/.maestro/config} (the properties file of the service addresses);</li>
 *     <li>the local admin token that {@code ./maestro up} writes to {@code $MAESTRO_HOME/auth/admin.token}
 *     ({@value #HOME_VARIABLE}: the suite's data directory; {@code ./maestro} sets it to the checkout's
 *     {@code .maestro}; else {@code .maestro} in the current directory).</li>
 * </ol>
 * None: requests go without one, and the services answer 401.
 */
public final class Credentials {
    public static final String TOKEN_VARIABLE = "MAESTRO_TOKEN";
    public static final String HOME_VARIABLE = "MAESTRO_HOME";
    /** The key of the token in {@code ~/.maestro/config}. */
    public static final String CONFIG_KEY = "token";
    public static final String ADMIN_TOKEN_FILE = "auth/admin.token";

    /** A token and where it came from (what the CLI may name; the token itself it never prints). */
    public record Token(String value, String source) {
        @Override
        public String toString() {
            return "token from " + source;
        }
    }

    private Credentials() {
    }

    /**
     * @param flag       the {@code --token} value, or null
     * @param env        the environment
     * @param config     the settings of {@code configFile} (empty when it has none)
     * @param configFile where {@code config} was read from (to name it)
     * @param home       the suite's data directory ({@link #home})
     */
    static Optional<Token> resolve(String flag, Map<String, String> env, Map<String, String> config, Path configFile, Path home) {
        if (present(flag)) {
            return Optional.of(checked(flag, "--token"));
        }
        if (present(env.get(TOKEN_VARIABLE))) {
            return Optional.of(checked(env.get(TOKEN_VARIABLE), TOKEN_VARIABLE));
        }
        if (present(config.get(CONFIG_KEY))) {
            return Optional.of(checked(config.get(CONFIG_KEY), CONFIG_KEY + "= in " + configFile));
        }
        Path admin = home.resolve(ADMIN_TOKEN_FILE);
        if (Files.isRegularFile(admin)) {
            String token;
            try {
                token = Files.readString(admin);
            } catch (IOException e) {
                throw new CliException("cannot read the local admin token " + admin + ": " + e.getMessage());
            }
            if (present(token)) {
                return Optional.of(checked(token, admin.toString()));
            }
        }
        return Optional.empty();
    }

    /** {@code $MAESTRO_HOME}, else {@code .maestro} in the current directory. */
    static Path home(Map<String, String> env) {
        String home = env.get(HOME_VARIABLE);
        return (present(home) ? Path.of(home) : Path.of(".maestro")).toAbsolutePath().normalize();
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    /** The token stripped of surrounding blanks (a file's newline); one with blanks or control characters inside is refused. */
    private static Token checked(String value, String source) {
        String token = value.strip();
        if (token.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new CliException("the token from " + source + " is malformed: it contains blanks or control characters");
        }
        return new Token(token, source);
    }
}
