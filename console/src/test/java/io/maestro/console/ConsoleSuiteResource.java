package io.maestro.console;

import io.maestro.localstack.Directories;
import io.maestro.localstack.LocalStack;
import io.maestro.localstack.Suite;
import io.maestro.localstack.SuiteAuth;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

/**
 * The console's tests run it against the real suite: a local stack and the four packaged services (one replica
 * each), started once per JVM and stopped when it exits. The console under test finds them through the registry,
 * as it would in production, and offers the sign-in link {@code ./maestro up} offers.
 */
public class ConsoleSuiteResource implements QuarkusTestResourceLifecycleManager {
    /** Where the suite's directory is: a system property, which every class loader of the JVM sees alike. */
    static final String DIR_PROPERTY = "console-test.suite-dir";
    private static LocalStack stack;
    private static Suite suite;
    private static String loginCode;

    @Override
    public synchronized Map<String, String> start() {
        if (suite == null) {
            try {
                Path dir = Path.of("target/console-suite").toAbsolutePath();
                Directories.deleteTree(dir);
                Files.createDirectories(dir);
                stack = LocalStack.onFreePorts(dir).start();
                suite = new Suite(stack, Path.of("..").toAbsolutePath().normalize(), dir, true).start(Duration.ofSeconds(150));
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    suite.close();
                    stack.close();
                }));
                byte[] code = new byte[16];
                new SecureRandom().nextBytes(code);
                loginCode = HexFormat.of().formatHex(code);
                System.setProperty(DIR_PROPERTY, dir.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Map.of(
                "kafka.bootstrap.servers", stack.kafka().bootstrapServers(),
                "maestro.console.registry-url", suite.service("registry-service").url(),
                "maestro.console.login-link.code", loginCode,
                "maestro.console.discovery-token", suite.auth().consoleToken(),
                "maestro.console.login-link.token-file", suite.auth().dir().resolve(SuiteAuth.ADMIN_TOKEN_FILE).toString());
    }

    @Override
    public void stop() {
        // stopped with the JVM: every test class of this JVM shares the suite
    }
}
