package io.maestro.cli;

import io.maestro.client.MaestroEndpoints;
import io.maestro.client.TrustedCertificates;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The global options. Where the services are: a flag wins, then the environment ({@code MAESTRO_<SERVICE>_URL}, as
 * written by {@code ./maestro up} to {@code .maestro/stack.env}), then {@code ~/.maestro/config}, then the local
 * defaults. Which token they get: see {@link Credentials}.
 */
public class Endpoints {
    /**
     * Properties file with keys such as {@code MAESTRO_REGISTRY_URL=http://10.0.0.5:8081} and {@code token=...};
     * tests point it elsewhere.
     */
    static Path userConfig = Path.of(System.getProperty("user.home"), ".maestro", "config");

    @Option(names = "--registry-url", scope = ScopeType.INHERIT, paramLabel = "URL", description = "registry-service base URL")
    URI registry;
    @Option(names = "--election-url", scope = ScopeType.INHERIT, paramLabel = "URL", description = "election-service base URL")
    URI election;
    @Option(names = "--inventory-url", scope = ScopeType.INHERIT, paramLabel = "URL", description = "inventory-service base URL")
    URI inventory;
    @Option(names = "--provisioner-url", scope = ScopeType.INHERIT, paramLabel = "URL", description = "provisioner-service base URL")
    URI provisioner;
    @Option(names = "--kafka", scope = ScopeType.INHERIT, paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (events, token); else bootstrap.servers of the --kafka-config file, "
                    + "else KAFKA_BOOTSTRAP_SERVERS, else 127.0.0.1:9092")
    String kafka;
    @Option(names = KafkaSettings.CONFIG_OPTION, scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Kafka client properties file (security.protocol, sasl.*, ssl.*, bootstrap.servers) for a "
                    + "secured Kafka; else " + KafkaSettings.CONFIG_VARIABLE)
    Path kafkaConfig;
    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
            description = "bearer token for the services; else MAESTRO_TOKEN, else token= in ~/.maestro/config, "
                    + "else the local admin token in $MAESTRO_HOME/auth/admin.token")
    String token;
    @Option(names = "--ca-cert", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "PEM file of CA certificates to trust for https:// services, besides the JDK's; else "
                    + MaestroEndpoints.CA_CERT_VARIABLE + ", else " + MaestroEndpoints.CA_CERT_VARIABLE + "= in ~/.maestro/config")
    Path caCert;
    private HttpClient httpClient;

    /** Environment overlay; tests set it instead of the process environment. */
    static Map<String, String> environment = System.getenv();

    MaestroEndpoints resolve() {
        Map<String, String> settings = new HashMap<>(userConfig());
        settings.putAll(environment);
        MaestroEndpoints base = MaestroEndpoints.from(settings);
        return new MaestroEndpoints(
                registry != null ? registry : base.registry(),
                election != null ? election : base.election(),
                inventory != null ? inventory : base.inventory(),
                provisioner != null ? provisioner : base.provisioner());
    }

    /** The Kafka client settings (see {@link KafkaSettings} for the order). */
    KafkaSettings kafkaSettings() {
        Map<String, String> settings = new HashMap<>(userConfig());
        settings.putAll(environment);
        return KafkaSettings.resolve(kafka, kafkaConfig, settings);
    }

    /** The token to send, if any (see {@link Credentials} for the order). */
    Optional<Credentials.Token> token() {
        return Credentials.resolve(token, environment, userConfig(), userConfig, home());
    }

    /** The suite's data directory: {@code $MAESTRO_HOME}, else {@code .maestro} here. */
    Path home() {
        return Credentials.home(environment);
    }

    /**
     * The HTTP client of every call to the services (one per command): TLS trusts the JDK's CAs and those of the
     * {@code --ca-cert} file, else {@code MAESTRO_CA_CERT}'s (environment, then ~/.maestro/config).
     */
    HttpClient httpClient() {
        if (httpClient == null) {
            Path file = caCert;
            String origin = "--ca-cert";
            if (file == null) {
                Map<String, String> settings = new HashMap<>(userConfig());
                settings.putAll(environment);
                file = TrustedCertificates.fromEnvironment(settings).orElse(null);
                origin = MaestroEndpoints.CA_CERT_VARIABLE;
            }
            try {
                httpClient = TrustedCertificates.httpClient(file, origin).connectTimeout(Duration.ofSeconds(3)).build();
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
        }
        return httpClient;
    }

    /** An environment variable (tests overlay the environment). */
    String variable(String name) {
        return environment.get(name);
    }

    static Map<String, String> userConfig() {
        return read(userConfig);
    }

    /** A properties file's settings; none when there is no such file. */
    static Map<String, String> read(Path file) {
        Map<String, String> config = new HashMap<>();
        if (Files.isRegularFile(file)) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new CliException("cannot read " + file + ": " + e.getMessage());
            }
            properties.stringPropertyNames().forEach(k -> config.put(k, properties.getProperty(k)));
        }
        return config;
    }
}
