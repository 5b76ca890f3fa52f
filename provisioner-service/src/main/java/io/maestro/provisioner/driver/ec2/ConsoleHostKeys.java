package io.maestro.provisioner.driver.ec2;

import io.maestro.provisioner.ssh.SshKeys;

import java.util.List;
import java.util.Optional;

/** Reads the host keys cloud-init prints between {@code -----BEGIN SSH HOST KEY KEYS-----} and its END line. */
final class ConsoleHostKeys {
    private static final String BEGIN = "-----BEGIN SSH HOST KEY KEYS-----";
    private static final String END = "-----END SSH HOST KEY KEYS-----";
    private static final List<String> PREFERRED = List.of("ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa");

    private ConsoleHostKeys() {
    }

    /** The strongest parseable key as an OpenSSH line without comment, if the block is there. */
    static Optional<String> pick(String console) {
        int begin = console.indexOf(BEGIN);
        int end = console.indexOf(END, Math.max(begin, 0));
        if (begin < 0 || end < 0) {
            return Optional.empty();
        }
        List<String> lines = console.substring(begin + BEGIN.length(), end).lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
        for (String type : PREFERRED) {
            for (String line : lines) {
                if (line.startsWith(type + " ")) {
                    try {
                        return Optional.of(SshKeys.format(SshKeys.parse(line)));
                    } catch (IllegalArgumentException ignored) {
                        // try the next key
                    }
                }
            }
        }
        return Optional.empty();
    }
}
