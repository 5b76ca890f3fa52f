package io.maestro.cli;

/** A failure to report as one line on stderr with exit code 1 (a service's problem, an unreachable service). */
public class CliException extends RuntimeException {
    public CliException(String message) {
        super(message);
    }
}
