package io.maestro.localstack;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Kafka, Redis and PostgreSQL on loopback, started in parallel, each with its own directory and log. */
public final class LocalStack implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LocalStack.class);
    /** The databases of the services that keep durable state (DESIGN.md section 4). */
    public static final List<String> SERVICE_DATABASES = List.of("maestro_inventory", "maestro_provisioner");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final KafkaServer kafka;
    private final RedisServer redis;
    private final PostgresServer postgres;
    /** Null for a plaintext stack. */
    private final StackSecurity security;
    private Duration startTime = Duration.ZERO;

    /**
     * @param dir  the stack's directory; each server gets a subdirectory
     * @param kafkaPort, redisPort, postgresPort  preferred ports (the next free one is taken when busy); 0 for any free port
     */
    public LocalStack(Path dir, int kafkaPort, int redisPort, int postgresPort) {
        this(dir, kafkaPort, redisPort, postgresPort, false);
    }

    /**
     * @param secured TLS on every server, a user per service with only what it needs ({@link ServiceGrants}), the
     *                secrets and certificates in {@code dir/secure} ({@link StackSecurity})
     */
    public LocalStack(Path dir, int kafkaPort, int redisPort, int postgresPort, boolean secured) {
        this.security = secured ? StackSecurity.in(dir.resolve("secure")) : null;
        int kafkaChosen = Ports.preferredOrNext(kafkaPort);
        int controllerPort = Ports.preferredOrNext(kafkaPort == 0 ? 0 : kafkaChosen + 1);
        if (controllerPort == kafkaChosen) {
            controllerPort = Ports.free();
        }
        this.kafka = new KafkaServer(dir.resolve("kafka"), kafkaChosen, controllerPort, security);
        this.redis = new RedisServer(dir.resolve("redis"), Ports.preferredOrNext(redisPort), security);
        this.postgres = new PostgresServer(dir.resolve("postgres"), Ports.preferredOrNext(postgresPort), security);
    }

    /** A stack on free ports, for tests. */
    public static LocalStack onFreePorts(Path dir) {
        return new LocalStack(dir, 0, 0, 0);
    }

    /** A secured stack on free ports, for tests. */
    public static LocalStack securedOnFreePorts(Path dir) {
        return new LocalStack(dir, 0, 0, 0, true);
    }

    /**
     * Tunes the stack for benchmarks that measure steady state rather than start time: the Kafka broker gets the
     * whole JIT ({@link KafkaServer#withFullJit()}). Call before {@link #start()}.
     */
    public LocalStack forBenchmarks() {
        kafka.withFullJit();
        return this;
    }

    public boolean secured() {
        return security != null;
    }

    /** The secrets and certificates of a secured stack; fails on a plaintext one. */
    public StackSecurity security() {
        if (security == null) {
            throw new IllegalStateException("this local stack is not secured");
        }
        return security;
    }

    public KafkaServer kafka() {
        return kafka;
    }

    public RedisServer redis() {
        return redis;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public List<ManagedServer> servers() {
        return List.of(kafka, redis, postgres);
    }

    public Duration startTime() {
        return startTime;
    }

    /** Starts the three servers in parallel and creates the services' databases; stops all if one fails. */
    public LocalStack start() throws IOException {
        Instant begin = Instant.now();
        try {
            ManagedServer.startAll(servers(), READY_TIMEOUT);
            for (String database : SERVICE_DATABASES) {
                postgres.createDatabase(database);
            }
            if (security != null) {
                KafkaGrants.apply(security.kafkaClientConfig(kafka.bootstrapServers(), StackSecurity.ADMIN), security);
                security.writeAdminKafkaConfig(kafka.bootstrapServers());
            }
        } catch (IOException | SQLException | RuntimeException e) {
            close();
            throw e instanceof IOException io ? io : new IOException("local stack failed to start: " + e.getMessage(), e);
        }
        startTime = Duration.between(begin, Instant.now());
        LOG.infof("local stack ready in %d ms: %s", startTime.toMillis(), summary());
        return this;
    }

    /** Stops every server, in parallel. */
    @Override
    public void close() {
        servers().parallelStream().forEach(ManagedServer::stop);
    }

    /** One line per server: name, address, pid, start time, RSS. */
    public String summary() {
        StringBuilder out = new StringBuilder();
        for (ManagedServer server : servers()) {
            out.append(String.format("%n  %-8s 127.0.0.1:%-5d pid %-7d ready in %5d ms  rss %4d MiB  log %s",
                    server.name(), server.port(), server.pid(), server.startTime().toMillis(), server.rssKib() / 1024, server.log()));
        }
        return out.toString();
    }

    /**
     * The connection settings of the stack as environment variables, the names Quarkus maps onto
     * {@code kafka.bootstrap.servers}, {@code quarkus.redis.hosts} and {@code quarkus.datasource.*}; on a secured
     * stack the administrator's (what {@code stack.env} gives a user of {@code ./maestro up --secure}).
     */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        if (security != null) {
            env.put("MAESTRO_KAFKA_CONFIG", security.dir().resolve(StackSecurity.ADMIN_KAFKA_CONFIG).toString());
            env.put("MAESTRO_CA_CERT", security.caCertificate().toString());
            env.put("QUARKUS_REDIS_HOSTS", redis.url(StackSecurity.ADMIN, security.password("redis", StackSecurity.ADMIN)));
            env.put("REDIS_URL", redis.url(StackSecurity.ADMIN, security.password("redis", StackSecurity.ADMIN)));
            env.put("POSTGRES_HOST", Ports.LOOPBACK);
            env.put("POSTGRES_PORT", Integer.toString(postgres.port()));
            env.put("POSTGRES_USER", PostgresServer.USER);
            env.put("POSTGRES_PASSWORD", postgres.password(PostgresServer.USER));
            env.put("PGSSLMODE", "verify-full");
            env.put("PGSSLROOTCERT", security.caCertificate().toString());
            return env;
        }
        env.put("QUARKUS_REDIS_HOSTS", redis.url());
        env.put("REDIS_URL", redis.url());
        env.put("POSTGRES_HOST", Ports.LOOPBACK);
        env.put("POSTGRES_PORT", Integer.toString(postgres.port()));
        env.put("POSTGRES_USER", PostgresServer.USER);
        env.put("POSTGRES_PASSWORD", PostgresServer.PASSWORD);
        for (String database : SERVICE_DATABASES) {
            // maestro_inventory -> INVENTORY_DATABASE_URL
            env.put(database.replaceFirst("^maestro_", "").toUpperCase() + "_DATABASE_URL", postgres.reactiveUrl(database));
        }
        return env;
    }

    /**
     * Quarkus configuration pointing {@code service} at this stack; {@code database} may be null for Redis-only
     * services. On a secured stack: the service's own Kafka user, Redis user and PostgreSQL role, TLS verified
     * against the stack's CA.
     */
    public Map<String, String> quarkusConfig(String service, String database) {
        if (security == null) {
            return quarkusConfig(database);
        }
        Map<String, String> config = new LinkedHashMap<>();
        security.kafkaClientConfig(kafka.bootstrapServers(), service).forEach((k, v) -> config.put("kafka." + k, v));
        String ca = security.caCertificate().toString();
        ServiceGrants grants = ServiceGrants.of(service);
        if (grants.redisKeys() != null) {
            // the password in the address: with an ACL user, Quarkus' Redis client ignores quarkus.redis.password
            config.put("quarkus.redis.hosts", redis.url(service, security.password("redis", service)));
            config.put("quarkus.redis.tls.enabled", "true");
            config.put("quarkus.redis.tls.trust-certificate-pem", "true");
            config.put("quarkus.redis.tls.trust-certificate-pem.certs", ca);
            config.put("quarkus.redis.tls.hostname-verification-algorithm", "HTTPS");
        }
        if (database != null) {
            config.put("quarkus.datasource.reactive.url", postgres.reactiveUrl(database));
            config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl(database));
            config.put("quarkus.datasource.username", database);
            config.put("quarkus.datasource.password", postgres.password(database));
            config.put("quarkus.datasource.reactive.postgresql.ssl-mode", "verify-full");
            config.put("quarkus.datasource.reactive.trust-certificate-pem", "true");
            config.put("quarkus.datasource.reactive.trust-certificate-pem.certs", ca);
            config.put("quarkus.datasource.reactive.hostname-verification-algorithm", "HTTPS");
        }
        return config;
    }

    /** Quarkus configuration pointing a service at this plaintext stack; {@code database} may be null for Redis-only services. */
    public Map<String, String> quarkusConfig(String database) {
        if (security != null) {
            throw new IllegalStateException("a secured stack gives each service its own settings: use quarkusConfig(service, database)");
        }
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        config.put("quarkus.redis.hosts", redis.url());
        if (database != null) {
            config.put("quarkus.datasource.reactive.url", postgres.reactiveUrl(database));
            config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl(database));
            config.put("quarkus.datasource.username", PostgresServer.USER);
            config.put("quarkus.datasource.password", PostgresServer.PASSWORD);
        }
        return config;
    }

    static void writeAtomically(Path file, String content) throws IOException {
        writeAtomically(file, content, false);
    }

    /** @param ownerOnly readable by the owner only from the first byte on (a file with a password or a token) */
    static void writeAtomically(Path file, String content, boolean ownerOnly) throws IOException {
        Files.createDirectories(file.getParent());
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.deleteIfExists(partial);
        if (ownerOnly) {
            Files.createFile(partial, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(partial, content);
        Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
