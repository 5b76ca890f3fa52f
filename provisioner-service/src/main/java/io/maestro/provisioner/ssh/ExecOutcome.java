package io.maestro.provisioner.ssh;

/** What a command did on one node; {@code exitCode} is null when it timed out or never ran ({@code error} says why). */
public record ExecOutcome(Integer exitCode, String stdout, String stderr, boolean timedOut, String error) {
}
