package io.maestro.support.problem;

import java.util.List;

/**
 * Thrown by a service for anything the caller did wrong or asked for in vain; answered as problem+json
 * with {@code status}. Use the factories so titles stay the same across services.
 */
public class ProblemException extends RuntimeException {
    private final int status;
    private final String title;
    private final List<Problem.FieldError> errors;
    private final java.util.Map<String, String> headers;

    public ProblemException(int status, String title, String detail, List<Problem.FieldError> errors) {
        this(status, title, detail, errors, java.util.Map.of());
    }

    /** With response headers, e.g. {@code WWW-Authenticate} on a 401 or 403. */
    public ProblemException(int status, String title, String detail, List<Problem.FieldError> errors,
                            java.util.Map<String, String> headers) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
        this.headers = headers == null ? java.util.Map.of() : java.util.Map.copyOf(headers);
    }

    public ProblemException(int status, String title, String detail) {
        this(status, title, detail, List.of());
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    public java.util.Map<String, String> headers() {
        return headers;
    }

    /** 400: {@code field} breaks {@code rule}. */
    public static ProblemException invalid(String field, String rule) {
        return new ProblemException(400, "Invalid request", field + ": " + rule, List.of(new Problem.FieldError(field, rule)));
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not found", detail);
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "Forbidden", detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", detail);
    }

    public static ProblemException preconditionFailed(String detail) {
        return new ProblemException(412, "Precondition failed", detail);
    }

    public static ProblemException unprocessable(String detail) {
        return new ProblemException(422, "Unprocessable request", detail);
    }
}
