package io.maestro.cli;

import io.maestro.client.MaestroEndpoints;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Where the services are: a flag wins, then the environment ({@code MAESTRO_<SERVICE>_URL}, as written by
 * {@code ./maestro up} to {@code .maestro/stack.env}), then {@code ~/.maestro/config}, then the local defaults.
 */
public class Endpoints {
    /** Properties file with keys such as {@code MAESTRO_REGISTRY_URL=http://10.0.0.5:8081}. */
    static final Path USER_CONFIG = Path.of(System.getProperty("user.home"), ".maestro", "config");

    @Option(names = "--registry-url", scope = ScopeType.INHERIT, paramLabel = "URL", description = "registry-service base URL")
    URI registry;
    @Option(names = "--election-url", scope = ScopeType.INHERIT, paramLabel = "URL", description = "election-service base URL")
    URI election;
    @Option(names = "--inventory-url", scope = ScopeType.INHERIT, paramLabel = "URL", description = "inventory-service base URL")
    URI inventory;
    @Option(names = "--provisioner-url", scope = ScopeType.INHERIT, paramLabel = "URL", description = "provisioner-service base URL")
    URI provisioner;
    @Option(names = "--kafka", scope = ScopeType.INHERIT, paramLabel = "HOST:PORT", description = "Kafka bootstrap servers (events)")
    String kafka;

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

    String kafkaBootstrapServers() {
        if (kafka != null) {
            return kafka;
        }
        Map<String, String> settings = new HashMap<>(userConfig());
        settings.putAll(environment);
        return settings.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
    }

    private static Map<String, String> userConfig() {
        Map<String, String> config = new HashMap<>();
        if (Files.isRegularFile(USER_CONFIG)) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(USER_CONFIG)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new CliException("cannot read " + USER_CONFIG + ": " + e.getMessage());
            }
            properties.stringPropertyNames().forEach(k -> config.put(k, properties.getProperty(k)));
        }
        return config;
    }
}
