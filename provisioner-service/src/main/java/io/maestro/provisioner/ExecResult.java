package io.maestro.provisioner;

/**
 * What a command did on one node. {@code exitCode} is null when it did not finish: {@code timedOut}, or
 * {@code error} says why it could not run (node stopped, SSH refused...).
 */
public record ExecResult(String tag, int index, Integer exitCode, String stdout, String stderr, boolean timedOut, String error) {
}
