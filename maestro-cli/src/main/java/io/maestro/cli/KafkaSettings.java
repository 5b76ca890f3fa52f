package io.maestro.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Kafka client settings of the commands that talk to Kafka (events, token): a Kafka client properties file
 * ({@code --kafka-config FILE}, else {@code MAESTRO_KAFKA_CONFIG}, like Kafka's own {@code --command-config}) gives
 * {@code security.protocol}, {@code sasl.*}, {@code ssl.*} and perhaps {@code bootstrap.servers}. The bootstrap
 * servers: {@code --kafka}, else the file's, else {@code KAFKA_BOOTSTRAP_SERVERS}, else {@value #DEFAULT_BOOTSTRAP}.
 *
 * @param settings every client setting, with {@code bootstrap.servers}
 * @param source   where the file came from ({@code --kafka-config FILE}, {@code MAESTRO_KAFKA_CONFIG=FILE}), or null
 */
public record KafkaSettings(Map<String, String> settings, String source) {
    public static final String CONFIG_VARIABLE = "MAESTRO_KAFKA_CONFIG";
    public static final String CONFIG_OPTION = "--kafka-config";
    static final String BOOTSTRAP_VARIABLE = "KAFKA_BOOTSTRAP_SERVERS";
    static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";
    private static final Pattern JAAS_PASSWORD = Pattern.compile("password\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    /**
     * @param kafkaFlag   {@code --kafka}, or null
     * @param configFlag  {@code --kafka-config}, or null
     * @param environment the environment over {@code ~/.maestro/config}
     */
    static KafkaSettings resolve(String kafkaFlag, Path configFlag, Map<String, String> environment) {
        String variable = environment.get(CONFIG_VARIABLE);
        Path file = configFlag != null ? configFlag
                : variable != null && !variable.isBlank() ? Path.of(variable.strip()) : null;
        String source = configFlag != null ? CONFIG_OPTION + " " + file : file != null ? CONFIG_VARIABLE + "=" + file : null;
        Map<String, String> settings = new LinkedHashMap<>();
        if (file != null) {
            settings.putAll(load(file, source));
        }
        if (kafkaFlag != null) {
            settings.put("bootstrap.servers", kafkaFlag);
        } else if (isBlank(settings.get("bootstrap.servers"))) {
            String servers = environment.get(BOOTSTRAP_VARIABLE);
            settings.put("bootstrap.servers", isBlank(servers) ? DEFAULT_BOOTSTRAP : servers.strip());
        }
        return new KafkaSettings(Map.copyOf(settings), source);
    }

    private static Map<String, String> load(Path file, String source) {
        if (!Files.isRegularFile(file)) {
            throw new CliException(source + ": no such file (a Kafka client properties file: bootstrap.servers, "
                    + "security.protocol, sasl.*, ssl.*)");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            // The reason only: the file holds passwords.
            String reason = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e instanceof java.nio.charset.CharacterCodingException ? "not a text file"
                    : "not a properties file: " + e.getMessage();
            throw new CliException(source + ": cannot read it (" + reason + ")");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(name -> settings.put(name.strip(), properties.getProperty(name).strip()));
        return settings;
    }

    public String bootstrapServers() {
        return settings.get("bootstrap.servers");
    }

    /** Where Kafka is, for messages: its address, and the settings file when there is one. */
    public String describe() {
        return "Kafka at " + bootstrapServers() + (source == null ? "" : ", settings from " + source);
    }

    /** The hint for a failure to reach Kafka. */
    public String hint() {
        return source == null
                ? "is it running? ./maestro up, or set --kafka; a secured Kafka needs " + CONFIG_OPTION + " FILE or " + CONFIG_VARIABLE
                : "is it running, and are the settings in the file right? --kafka overrides its bootstrap.servers";
    }

    /** A Kafka client's message with the file's secrets hidden (a client may quote a setting it cannot use). */
    public String redact(String message) {
        if (message == null) {
            return null;
        }
        String redacted = message;
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            String name = setting.getKey().toLowerCase();
            String value = setting.getValue();
            if (name.contains("jaas")) {
                Matcher password = JAAS_PASSWORD.matcher(value);
                while (password.find()) {
                    redacted = hide(redacted, password.group(1));
                }
                redacted = hide(redacted, value);
            } else if (name.contains("password") || name.contains("secret") || name.equals("ssl.keystore.key")) {
                redacted = hide(redacted, value);
            }
        }
        return redacted;
    }

    private static String hide(String text, String secret) {
        return secret == null || secret.length() < 4 ? text : text.replace(secret, "[hidden]");
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    @Override
    public String toString() {
        return describe(); // never the settings: they hold passwords
    }
}
