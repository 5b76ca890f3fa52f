package io.maestro.client.election;

/** The election service refused a request or could not be reached. {@code status} is 0 when no answer came. */
public class ElectionException extends RuntimeException {
    private final int status;

    public ElectionException(int status, String message) {
        super(message);
        this.status = status;
    }

    public ElectionException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    public int status() {
        return status;
    }
}
