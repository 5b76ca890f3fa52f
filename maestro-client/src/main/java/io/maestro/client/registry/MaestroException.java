package io.maestro.client.registry;

/** A registry call that failed: {@code status} is the HTTP status (0 when the registry could not be reached). */
public class MaestroException extends RuntimeException {
    private final int status;

    public MaestroException(int status, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public MaestroException(int status, String message) {
        this(status, message, null);
    }

    public int status() {
        return status;
    }
}
