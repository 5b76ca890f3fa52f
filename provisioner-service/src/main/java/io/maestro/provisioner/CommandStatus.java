package io.maestro.provisioner;

/** Where a command is: accepted (queued), running on one replica, or finished. */
public enum CommandStatus {
    ACCEPTED, RUNNING, SUCCEEDED, FAILED;

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED;
    }
}
