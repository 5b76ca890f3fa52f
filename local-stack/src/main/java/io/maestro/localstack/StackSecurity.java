package io.maestro.localstack;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The secrets and certificates of a secured local stack, in one owner-only directory ({@code <stack>/secure}): the
 * certificate authority and the servers' certificates ({@link CertificateAuthority}), and one password per user of
 * each engine ({@value #CREDENTIALS}), made on first use and kept. Kafka users: {@value #ADMIN} (the super user) and
 * one per service; Redis users: {@value #ADMIN} and the services that keep state in Redis; PostgreSQL roles: the
 * superuser and one per database ({@code maestro_inventory}, ...), each owning only its own database.
 */
public final class StackSecurity {
    public static final String ADMIN = "admin";
    static final String CREDENTIALS = "credentials.properties";
    /** A Kafka client properties file with the administrator's settings: {@code maestro --kafka-config}, Kafka's tools. */
    public static final String ADMIN_KAFKA_CONFIG = "admin-kafka.properties";

    private final Path dir;
    private final CertificateAuthority ca;
    private final Properties passwords = new Properties();

    private StackSecurity(Path dir) {
        this.dir = dir;
        this.ca = CertificateAuthority.in(dir);
        try {
            Path file = dir.resolve(CREDENTIALS);
            if (Files.exists(file)) {
                try (Reader reader = Files.newBufferedReader(file)) {
                    passwords.load(reader);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve(CREDENTIALS), e);
        }
    }

    /** The stack's secrets in {@code dir}, made when missing. */
    public static StackSecurity in(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + dir, e);
        }
        return new StackSecurity(dir);
    }

    public Path dir() {
        return dir;
    }

    public CertificateAuthority ca() {
        return ca;
    }

    /** The PEM file every client of the stack trusts. */
    public Path caCertificate() {
        return ca.certificate();
    }

    /** The password of {@code user} on {@code engine} ({@code kafka}, {@code redis}, {@code postgres}), made when missing. */
    public synchronized String password(String engine, String user) {
        String key = engine + "." + user;
        String password = passwords.getProperty(key);
        if (password == null) {
            byte[] bytes = new byte[24];
            new SecureRandom().nextBytes(bytes);
            // letters, digits, '-' and '_' only: safe inside JAAS, SCRAM format arguments, URLs and SQL literals
            password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            passwords.setProperty(key, password);
            save();
        }
        return password;
    }

    private void save() {
        StringBuilder out = new StringBuilder("# passwords of the secured local stack's users; written by local-stack\n");
        new TreeMap<>(passwords).forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
        try {
            LocalStack.writeAtomically(dir.resolve(CREDENTIALS), out.toString(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(CREDENTIALS), e);
        }
    }

    /** The password hash Redis keeps in its ACL ({@code #<sha256>}), so its configuration file holds no password. */
    public String redisPasswordHash(String user) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(password("redis", user).getBytes(StandardCharsets.UTF_8));
            return "#" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The Kafka client settings of {@code user} (SASL_SSL, SCRAM-SHA-512, the CA as PEM trust store). */
    public Map<String, String> kafkaClientConfig(String bootstrapServers, String user) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("bootstrap.servers", bootstrapServers);
        config.put("security.protocol", "SASL_SSL");
        config.put("sasl.mechanism", "SCRAM-SHA-512");
        config.put("sasl.jaas.config", scramJaas(user, password("kafka", user)));
        config.put("ssl.truststore.type", "PEM");
        config.put("ssl.truststore.location", caCertificate().toString());
        return config;
    }

    static String scramJaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }

    /** Writes {@value #ADMIN_KAFKA_CONFIG} (owner-only) and returns its path. */
    public Path writeAdminKafkaConfig(String bootstrapServers) {
        StringWriter out = new StringWriter();
        out.append("# Kafka client settings of the secured local stack's administrator; written by local-stack\n");
        kafkaClientConfig(bootstrapServers, ADMIN).forEach((k, v) -> out.append(k).append('=')
                .append(v.replace("\\", "\\\\")).append('\n'));
        Path file = dir.resolve(ADMIN_KAFKA_CONFIG);
        try {
            LocalStack.writeAtomically(file, out.toString(), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }
}
