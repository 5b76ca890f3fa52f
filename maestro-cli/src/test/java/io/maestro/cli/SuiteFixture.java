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
            Map<String, String> env = new HashMap<>(suite.environment());
            env.put("KAFKA_BOOTSTRAP_SERVERS", stack.kafka().bootstrapServers());
            Endpoints.environment = env;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
