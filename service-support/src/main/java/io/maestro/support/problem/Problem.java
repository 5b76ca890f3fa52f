package io.maestro.support.problem;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.net.URI;
import java.util.List;

/**
 * An RFC 9457 problem detail, the body of every error response ({@code application/problem+json}).
 * {@code errors} names each offending field and the rule it broke.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(URI type, String title, int status, String detail, String instance, List<FieldError> errors) {
    public static final String MEDIA_TYPE = "application/problem+json";

    /** However much of a caller's input a message quotes, a problem stays short enough to read. */
    static final int MAX_TEXT = 1000;

    public Problem {
        type = type == null ? URI.create("about:blank") : type;
        detail = cap(detail);
        errors = errors == null ? List.of() : errors.stream().limit(50).toList();
    }

    static String cap(String text) {
        return text == null || text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "... (cut)";
    }

    /** A field (JSON pointer-ish path such as {@code groups[0].count}, or a path/query parameter name) and its rule. */
    public record FieldError(String field, String rule) {
        public FieldError {
            field = field == null || field.length() <= 200 ? field : field.substring(0, 200) + "...";
            rule = cap(rule);
        }
    }
}
