package io.maestro.support.problem;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.maestro.support.json.JsonHardening;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A request body Jackson could not read, said in the API's own words: which field, and what it must be. Never
 * Jackson's message as is, which names Java classes and echoes the whole offending value (a 100 KB input came back
 * twice in a 200 KB error).
 */
final class JsonProblems {
    static final String TITLE = "Malformed request body";
    /** At most this much of a caller's text goes back to it. */
    private static final int MAX_ECHO = 120;
    private static final Pattern SOURCE = Pattern.compile("\\s*\\(?\\[Source: [^\\]]*\\]\\)?|\\s*\\(start marker at[^)]*\\)?");
    private static final Pattern BACKTICKED = Pattern.compile("`[^`]*`");
    private static final Pattern QUALIFIED_NAME = Pattern.compile("\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*");

    private JsonProblems() {
    }

    static Problem describe(JsonProcessingException e) {
        String field = field(e);
        String rule = rule(e);
        String where = field.isEmpty() ? "request body" : field;
        String detail = where + ": " + rule + location(e);
        List<Problem.FieldError> errors = List.of(new Problem.FieldError(field.isEmpty() ? "body" : field, rule));
        return new Problem(null, TITLE, 400, detail, null, errors);
    }

    private static String rule(JsonProcessingException e) {
        if (e instanceof JsonHardening.NulCharacterException) {
            return JsonHardening.NUL_RULE;
        }
        if (e instanceof MismatchedInputException mismatch) {
            String original = String.valueOf(e.getOriginalMessage());
            if (original.startsWith("Trailing token")) {
                return "must be one JSON value with nothing after it";
            }
            if (mismatch.getTargetType() != null) {
                return "must be " + expected(mismatch.getTargetType());
            }
        }
        if (e instanceof InputCoercionException) {
            return "is a number out of range (" + clean(e.getOriginalMessage()) + ")";
        }
        if (e instanceof StreamConstraintsException) {
            return "is too large or too deeply nested (" + clean(e.getOriginalMessage()) + ")";
        }
        if (e instanceof StreamReadException) {
            return "is not valid JSON: " + clean(e.getOriginalMessage());
        }
        return "is not valid for this operation: " + clean(e.getOriginalMessage());
    }

    /** The JSON type a Java type is read from, as an API user says it. */
    static String expected(Class<?> type) {
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf).collect(Collectors.joining(", ", "[", "]"));
        }
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) {
            return "a string";
        }
        if (type == int.class || type == long.class || type == short.class || type == byte.class || type == Integer.class
                || type == Long.class || type == Short.class || type == Byte.class || type == BigInteger.class) {
            return "an integer";
        }
        if (type == double.class || type == float.class || type == Double.class || type == Float.class
                || type == BigDecimal.class || Number.class.isAssignableFrom(type)) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type == UUID.class) {
            return "a UUID";
        }
        if (type == Instant.class || type == OffsetDateTime.class) {
            return "an ISO-8601 timestamp such as 2026-01-31T12:00:00Z";
        }
        if (type == Duration.class) {
            return "an ISO-8601 duration such as PT30S";
        }
        if (type == URI.class) {
            return "a URI";
        }
        if (Map.class.isAssignableFrom(type) || !type.getName().startsWith("java.")) {
            return "an object";
        }
        return "a value of another type";
    }

    /** {@code groups[0].count}: from the mapping path when Jackson knows it, else from where the parser stood. */
    private static String field(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining()).replaceFirst("^\\.", "");
        }
        Object processor = e.getProcessor();
        if (processor instanceof JsonParser parser) {
            return path(parser.getParsingContext());
        }
        return "";
    }

    private static String path(JsonStreamContext context) {
        StringBuilder out = new StringBuilder();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            String step;
            if (c.inArray()) {
                step = "[" + Math.max(0, c.getCurrentIndex()) + "]";
            } else if (c.getCurrentName() != null) {
                step = "." + c.getCurrentName();
            } else {
                continue;
            }
            out.insert(0, step);
        }
        String path = out.toString().replaceFirst("^\\.", "");
        return path.length() > MAX_ECHO ? path.substring(0, MAX_ECHO) + "..." : path;
    }

    private static String location(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        if (at == null || at.getLineNr() < 1 || !(e instanceof StreamReadException) || e instanceof JsonMappingException) {
            return "";
        }
        return " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    /** Jackson's own words without Java names, source dumps, or more than a little of the caller's input. */
    static String clean(String message) {
        if (message == null) {
            return "unreadable input";
        }
        String cleaned = SOURCE.matcher(message).replaceAll("");
        cleaned = BACKTICKED.matcher(cleaned).replaceAll("a value");
        cleaned = QUALIFIED_NAME.matcher(cleaned).replaceAll("a value");
        cleaned = cleaned.replaceAll("\\s+", " ").trim();
        return cleaned.length() > MAX_ECHO ? cleaned.substring(0, MAX_ECHO) + "..." : cleaned;
    }
}
