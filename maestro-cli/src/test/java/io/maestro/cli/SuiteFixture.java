package io.maestro.cli;

import io.maestro.localstack.LocalStack;
import io.maestro.localstack.Directories;
import io.maestro.localstack.Suite;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The four packaged services on one local stack, shared by the CLI tests of this JVM, and an in-process CLI runner. */
final class SuiteFixture {
    private static Suite suite;
    private static LocalStack stack;

    record Result(int exitCode, String out, String err) {
    }

    static synchronized void start() {
        if (suite != null) {
            return;
        }
        try {
            Path dir = Path.of("target/cli-suite").toAbsolutePath();
            Directories.deleteTree(dir);
            Files.createDirectories(dir);
            stack = LocalStack.onFreePorts(dir).start();
            suite = new Suite(stack, Path.of("..").toAbsolutePath().normalize(), dir, true).start(Duration.ofSeconds(120));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                suite.close();
                stack.close();
            }));
            Map<String, String> env = new HashMap<>(suite.environment()); // with MAESTRO_TOKEN, the admin token
            env.put("KAFKA_BOOTSTRAP_SERVERS", stack.kafka().bootstrapServers());
            // As ./maestro does: the suite's directory, where token create finds the signing key.
            env.put(Credentials.HOME_VARIABLE, dir.toString());
            Endpoints.environment = env;
            // Not the user's own ~/.maestro/config.
            Endpoints.userConfig = dir.resolve("no-user-config");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The suite's admin token, for the requests tests make themselves. */
    static String adminToken() {
        return suite.auth().adminToken();
    }

    static Suite suite() {
        return suite;
    }

    static String url(String service) {
        return suite.service(service).url();
    }

    /** Runs a command that streams until killed (watch, watch-group) on a daemon thread; its output grows in {@code out}. */
    static StringWriter runInBackground(String... args) {
        StringWriter out = new StringWriter();
        var cli = MaestroCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        Thread thread = new Thread(() -> cli.execute(args), "cli-" + args[0]);
        thread.setDaemon(true);
        thread.start();
        return out;
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = MaestroCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private SuiteFixture() {
    }
}
