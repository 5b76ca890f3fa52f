package io.maestro.client.http;

import java.util.List;

/**
 * A call to a service of the suite that failed, the SDK's one error type: {@code status} is the HTTP status (0 when no
 * replica could be reached or the answer could not be read), {@code title}, {@code detail} and {@code errors} those of
 * the service's problem+json answer (RFC 9457); each error names a field and the rule it broke.
 */
public class MaestroApiException extends RuntimeException {
    private final int status;
    private final String title;
    private final String detail;
    private final List<FieldError> errors;

    /** A field of the request ({@code groups[0].count}, or a path or query parameter) and the rule it broke. */
    public record FieldError(String field, String rule) {
    }

    public MaestroApiException(int status, String title, String detail, List<FieldError> errors, String message, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.title = title;
        this.detail = detail;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /** Nothing answered, or nothing readable: status 0. */
    public MaestroApiException(String message, Throwable cause) {
        this(0, null, null, List.of(), message, cause);
    }

    public int status() {
        return status;
    }

    /** The problem's title, or null when the service gave none (or was not reached). */
    public String title() {
        return title;
    }

    /** The problem's detail, or null. */
    public String detail() {
        return detail;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
