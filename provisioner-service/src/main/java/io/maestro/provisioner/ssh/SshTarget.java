package io.maestro.provisioner.ssh;

/** Where and as whom to connect, and the host key recorded for that node (OpenSSH line) that must match. */
public record SshTarget(String host, int port, String username, String hostKey) {
}
