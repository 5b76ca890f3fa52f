package io.maestro.provisioner.driver;

/** A driver could not do what it was asked; {@link #callerMistake()} when the request itself was wrong. */
public class DriverException extends RuntimeException {
    private final boolean callerMistake;

    public DriverException(String message, Throwable cause) {
        super(message, cause);
        this.callerMistake = false;
    }

    private DriverException(String message, boolean callerMistake) {
        super(message);
        this.callerMistake = callerMistake;
    }

    public static DriverException invalid(String message) {
        return new DriverException(message, true);
    }

    public static DriverException failed(String message) {
        return new DriverException(message, false);
    }

    public boolean callerMistake() {
        return callerMistake;
    }
}
