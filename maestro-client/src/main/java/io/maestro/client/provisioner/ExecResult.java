package io.maestro.client.provisioner;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** What a command run on one node gave: its exit code (null when it did not end), output, whether it timed out, or an error. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ExecResult(String tag, int index, Integer exitCode, String stdout, String stderr, boolean timedOut, String error) {
    public boolean succeeded() {
        return exitCode != null && exitCode == 0;
    }
}
