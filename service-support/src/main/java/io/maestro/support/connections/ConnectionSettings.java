package io.maestro.support.connections;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The connection settings of a service as its configuration holds them: which property a problem is to be fixed in
 * (the one actually set, e.g. a Redis password in {@code quarkus.redis.password} or in the URL), and the secret values
 * no explanation may ever contain.
 */
public final class ConnectionSettings {
    /** Settings whose whole value is secret. */
    static final List<String> SECRET_PROPERTIES = List.of(
            "kafka.sasl.jaas.config", "kafka.ssl.truststore.password", "kafka.ssl.keystore.password", "kafka.ssl.key.password",
            "kafka.ssl.keystore.key", "quarkus.redis.password", "quarkus.datasource.password",
            "quarkus.datasource.reactive.trust-certificate-pfx.password", "quarkus.datasource.reactive.trust-certificate-jks.password",
            "quarkus.redis.tls.trust-certificate-pfx.password", "quarkus.redis.tls.trust-certificate-jks.password");
    /** Settings that may carry a password inside (URLs with user info, a JDBC URL's {@code password=}). */
    static final List<String> URL_PROPERTIES = List.of(
            "quarkus.redis.hosts", "quarkus.datasource.reactive.url", "quarkus.datasource.jdbc.url", "kafka.bootstrap.servers");
    private static final Pattern JAAS_PASSWORD = Pattern.compile("password\\s*=\\s*\"([^\"]*)\"");
    private static final Pattern URL_PASSWORD = Pattern.compile("://[^:/@\\s]*:([^@/\\s]+)@");
    private static final Pattern QUERY_PASSWORD = Pattern.compile("[?&]password=([^&\\s]+)");

    private final Function<String, Optional<String>> lookup;

    private ConnectionSettings(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
    }

    /** The running application's configuration (environment variables included). */
    public static ConnectionSettings fromConfig() {
        Config config = ConfigProvider.getConfig();
        return new ConnectionSettings(name -> {
            try {
                return config.getOptionalValue(name, String.class).filter(v -> !v.isBlank());
            } catch (RuntimeException unconvertible) {
                return Optional.empty();
            }
        });
    }

    /** Fixed settings (tests, tools). */
    public static ConnectionSettings of(Map<String, String> values) {
        return new ConnectionSettings(name -> Optional.ofNullable(values.get(name)).filter(v -> !v.isBlank()));
    }

    public Optional<String> get(String property) {
        return lookup.apply(property);
    }

    public boolean isSet(String property) {
        return get(property).isPresent();
    }

    /** The first of {@code properties} that is set, else {@code fallback}. */
    String firstSet(String fallback, String... properties) {
        for (String property : properties) {
            if (isSet(property)) {
                return property;
            }
        }
        return fallback;
    }

    /** Every secret value in the configuration: whole secret settings, the password inside JAAS and inside URLs. */
    List<String> secrets() {
        List<String> secrets = new ArrayList<>();
        for (String property : SECRET_PROPERTIES) {
            get(property).ifPresent(value -> {
                secrets.add(value);
                collect(JAAS_PASSWORD, value, secrets);
            });
        }
        for (String property : URL_PROPERTIES) {
            get(property).ifPresent(value -> {
                collect(URL_PASSWORD, value, secrets);
                collect(QUERY_PASSWORD, value, secrets);
            });
        }
        // longest first, so a password inside a longer secret never leaves part of the longer one behind
        secrets.removeIf(s -> s.length() < 3);
        secrets.sort((a, b) -> b.length() - a.length());
        return secrets;
    }

    private static void collect(Pattern pattern, String value, List<String> into) {
        Matcher matcher = pattern.matcher(value);
        while (matcher.find()) {
            into.add(matcher.group(1));
        }
    }
}
