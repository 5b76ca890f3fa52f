package io.maestro.events;

/**
 * A record that cannot be decoded or breaks a rule of its schema. Consumers route the record to
 * the topic's dead-letter topic with {@link #getMessage()} as the reason and carry on.
 */
public class InvalidEventException extends RuntimeException {
    public InvalidEventException(String message) {
        super(message);
    }

    public InvalidEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
