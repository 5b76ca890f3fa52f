package io.maestro.localstack;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code SuiteRunner --stack-only --free-ports} in its own JVM, as {@code ./maestro up} runs it, writing into {@code dir}. */
final class StackOnlyRunner {
    private StackOnlyRunner() {
    }

    static Process start(Path dir) throws IOException {
        String classpath = Path.of("target/classes").toAbsolutePath() + File.pathSeparator
                + Files.readString(Path.of("target/local-stack.classpath")).trim();
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, SuiteRunner.class.getName(), "--stack-only", "--free-ports", "--dir", dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("runner.out").toFile())
                .start();
    }

    /** {@code runner.state}: STARTING, READY, DEGRADED: ..., FAILED: ..., STOPPED; empty before it is written. */
    static String state(Path dir) {
        return read(dir.resolve("runner.state"));
    }

    static String output(Path dir) {
        return read(dir.resolve("runner.out"));
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
