package io.maestro.localstack;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Quarkus test resource of every service: one real stack per test JVM (started on first use, stopped
 * when the JVM exits, and killed with it by the parent-death signal), the service's Kafka, Redis and
 * PostgreSQL settings pointed at it, Dev Services off.
 *
 * <p>Init arg {@code database}: the service's own PostgreSQL database, created when missing.
 */
public class LocalStackResource implements QuarkusTestResourceLifecycleManager {
    public static final String DATABASE_ARG = "database";
    private static LocalStack shared;
    private String database;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.get(DATABASE_ARG);
    }

    /** The stack of this JVM, started on first call. */
    public static synchronized LocalStack stack() {
        if (shared == null) {
            try {
                Path dir = Path.of("target", "local-stack").toAbsolutePath();
                Directories.deleteTree(dir); // a fresh stack per test run
                Files.createDirectories(dir);
                LocalStack stack = LocalStack.onFreePorts(dir).start();
                Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "local-stack-stop"));
                System.out.printf("local stack for tests ready in %d ms%s%n", stack.startTime().toMillis(), stack.summary());
                shared = stack;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    @Override
    public Map<String, String> start() {
        LocalStack stack = stack();
        Map<String, String> config = new LinkedHashMap<>(stack.quarkusConfig(database));
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
