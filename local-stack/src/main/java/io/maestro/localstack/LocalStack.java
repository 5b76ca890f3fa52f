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
    private Duration startTime = Duration.ZERO;

    /**
     * @param dir  the stack's directory; each server gets a subdirectory
     * @param kafkaPort, redisPort, postgresPort  preferred ports (the next free one is taken when busy); 0 for any free port
     */
    public LocalStack(Path dir, int kafkaPort, int redisPort, int postgresPort) {
        int kafkaChosen = Ports.preferredOrNext(kafkaPort);
        int controllerPort = Ports.preferredOrNext(kafkaPort == 0 ? 0 : kafkaChosen + 1);
        if (controllerPort == kafkaChosen) {
            controllerPort = Ports.free();
        }
        this.kafka = new KafkaServer(dir.resolve("kafka"), kafkaChosen, controllerPort);
        this.redis = new RedisServer(dir.resolve("redis"), Ports.preferredOrNext(redisPort));
        this.postgres = new PostgresServer(dir.resolve("postgres"), Ports.preferredOrNext(postgresPort));
    }

    /** A stack on free ports, for tests. */
    public static LocalStack onFreePorts(Path dir) {
        return new LocalStack(dir, 0, 0, 0);
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
     * {@code kafka.bootstrap.servers}, {@code quarkus.redis.hosts} and {@code quarkus.datasource.*}.
     */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
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

    /** Quarkus configuration pointing a service at this stack; {@code database} may be null for Redis-only services. */
    public Map<String, String> quarkusConfig(String database) {
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
