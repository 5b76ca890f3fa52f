package io.maestro.localstack;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Quarkus test resource of every service: one real stack per test application (started on first use, stopped
 * when the JVM exits, and killed with it by the parent-death signal), the service's Kafka, Redis and
 * PostgreSQL settings pointed at it, Dev Services off.
 *
 * <p>Quarkus loads this class anew for each test profile, so a test JVM may start several stacks. Each gets a
 * directory of its own under {@code target/local-stack}; only the JVM's first wipes what an earlier run left, never
 * the directory of a stack that is running.
 *
 * <p>Init args: {@code database}, the service's own PostgreSQL database, created when missing; {@code secure=true}
 * with {@code service=<name>}: the secured stack of this JVM instead (one per JVM, started on first use), the service
 * given its own Kafka user, Redis user and PostgreSQL role, TLS verified against the stack's CA; {@code redis=cluster}:
 * the service's Redis is this JVM's {@link RedisCluster} (three masters, started on first use) instead of the stack's
 * single server (plaintext stacks only).
 */
public class LocalStackResource implements QuarkusTestResourceLifecycleManager {
    public static final String DATABASE_ARG = "database";
    public static final String SECURE_ARG = "secure";
    public static final String SERVICE_ARG = "service";
    public static final String REDIS_ARG = "redis";
    /** Stacks started in this JVM; a system property, because every class loader of the JVM sees the same one. */
    private static final String STACKS_STARTED = "maestro.local-stack.started";
    /** Where the test JVM's signing key is; a system property, read by the test-jar's token helpers. */
    public static final String AUTH_DIR_PROPERTY = "maestro.test.auth-dir";
    private static LocalStack shared;
    private static LocalStack secured;
    private static SuiteAuth auth;
    private static RedisCluster cluster;
    private String database;
    private boolean secure;
    private String service;
    private boolean redisCluster;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.get(DATABASE_ARG);
        secure = Boolean.parseBoolean(initArgs.get(SECURE_ARG));
        service = initArgs.get(SERVICE_ARG);
        redisCluster = "cluster".equals(initArgs.get(REDIS_ARG));
        if (secure && service == null) {
            throw new IllegalArgumentException("a secured LocalStackResource needs init arg " + SERVICE_ARG + " (e.g. registry-service)");
        }
        if (secure && redisCluster) {
            throw new IllegalArgumentException("the local Redis Cluster is plaintext: " + REDIS_ARG + "=cluster cannot be secure");
        }
    }

    /** The Redis Cluster of this JVM, started on first call (beside the plaintext stack's directory). */
    public static synchronized RedisCluster redisCluster() {
        if (cluster == null) {
            stack(); // wipes what an earlier run left first
            Path dir = Path.of("target", "local-stack", "redis-cluster-" + ProcessHandle.current().pid()).toAbsolutePath();
            try {
                Instant begin = Instant.now();
                RedisCluster started = new RedisCluster(dir).start(Duration.ofSeconds(60));
                Runtime.getRuntime().addShutdownHook(new Thread(started::close, "redis-cluster-stop"));
                System.out.printf("Redis Cluster for tests ready in %d ms: %s%n", Duration.between(begin, Instant.now()).toMillis(), started.hosts());
                cluster = started;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cluster;
    }

    /** The secured stack of this JVM, started on first call (in its own directory, beside the plaintext one). */
    public static synchronized LocalStack securedStack() {
        if (secured == null) {
            stack(); // wipes what an earlier run left first
            int number;
            synchronized (System.getProperties()) {
                number = Integer.getInteger(STACKS_STARTED, 0) + 1;
                System.setProperty(STACKS_STARTED, Integer.toString(number));
            }
            Path dir = Path.of("target", "local-stack", "secured-" + number).toAbsolutePath();
            try {
                Files.createDirectories(dir);
                LocalStack stack = LocalStack.securedOnFreePorts(dir).start();
                Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "secured-local-stack-stop"));
                System.out.printf("secured local stack for tests ready in %d ms%s%n", stack.startTime().toMillis(), stack.summary());
                secured = stack;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return secured;
    }

    /** The stack of this JVM, started on first call. */
    public static synchronized LocalStack stack() {
        if (shared == null) {
            Path root = Path.of("target", "local-stack").toAbsolutePath();
            for (int attempt = 1; shared == null; attempt++) {
                int number;
                synchronized (System.getProperties()) {
                    number = Integer.getInteger(STACKS_STARTED, 0) + 1;
                    System.setProperty(STACKS_STARTED, Integer.toString(number));
                }
                try {
                    if (number == 1) {
                        Directories.deleteTree(root); // a fresh start per test run
                    }
                    Path dir = root.resolve("stack-" + number);
                    Files.createDirectories(dir);
                    LocalStack stack = LocalStack.onFreePorts(dir).start();
                    Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "local-stack-stop"));
                    System.out.printf("local stack for tests ready in %d ms%s%n", stack.startTime().toMillis(), stack.summary());
                    shared = stack;
                } catch (IOException e) {
                    // A port chosen free can still be taken by another process before the server binds it.
                    boolean portTaken = String.valueOf(e.getMessage()).contains("Address already in use");
                    if (!portTaken || attempt == 3) {
                        throw new UncheckedIOException(e);
                    }
                    System.out.printf("local stack: a port was taken before its server bound it; starting again on other ports%n");
                }
            }
        }
        return shared;
    }

    /**
     * The signing key of this JVM's tests ({@code target/local-stack/auth}): the services under test verify tokens with
     * its public key, and tests mint theirs with it.
     */
    public static synchronized SuiteAuth auth() {
        if (auth == null) {
            stack(); // wipes what an earlier run left first
            auth = SuiteAuth.in(Path.of("target", "local-stack", "auth").toAbsolutePath());
            System.setProperty(AUTH_DIR_PROPERTY, auth.dir().toString());
        }
        return auth;
    }

    @Override
    public Map<String, String> start() {
        LocalStack stack = secure ? securedStack() : stack();
        Map<String, String> config = new LinkedHashMap<>(secure ? stack.quarkusConfig(service, database) : stack.quarkusConfig(database));
        if (redisCluster) {
            config.putAll(redisCluster().quarkusConfig());
        }
        config.put("mp.jwt.verify.publickey.location", auth().publicKey().toString());
        if (database != null) {
            try {
                stack.postgres().createDatabase(database);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot create database " + database, e);
            }
        }
        config.put("quarkus.devservices.enabled", "false");
        return config;
    }

    @Override
    public void stop() {
        // The stack outlives each Quarkus restart; the shutdown hook (or the death signal) ends it.
    }
}
