package io.maestro.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.inventory.entity.AttributeInput;
import io.maestro.support.problem.Names;
import io.maestro.support.problem.ProblemException;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Set;
import java.util.regex.Pattern;

/** A validated attribute: key, subkey, number, and its value in canonical text (plus a number or a referenced name). */
public record AttributeValue(String key, String subkey, Integer number, String type, String text, BigDecimal numberValue) {
    /** clusto's key rule; '.' is left out because the expression language separates key and subkey with it. */
    public static final Pattern KEY = Pattern.compile("[A-Za-z_][0-9A-Za-z_-]{0,63}");
    public static final String KEY_RULE = "must match " + KEY.pattern();
    public static final Set<String> TYPES = Set.of("string", "integer", "decimal", "boolean", "timestamp", "reference");
    /**
     * A string value's limit in UTF-8 bytes: the index on (key, value) that serves attribute queries holds at most
     * 2,704 bytes per row, so a longer value that does not compress could not be stored.
     */
    public static final int MAX_TEXT_BYTES = 2048;

    public boolean isReference() {
        return "reference".equals(type);
    }

    /** Validates {@code input} at the edge; {@code field} prefixes the names in error messages (e.g. {@code attributes[2]}). */
    public static AttributeValue of(AttributeInput input, String field) {
        if (input == null) {
            throw ProblemException.invalid(field, "must be an attribute object");
        }
        String key = requireKey(input.key(), field + ".key");
        String subkey = input.subkey() == null ? null : requireKey(input.subkey(), field + ".subkey");
        if (input.number() != null && input.number() < 0) {
            throw ProblemException.invalid(field + ".number", "must be >= 0");
        }
        return withValue(key, subkey, input.number(), input.value(), input.type(), field);
    }

    public static String requireKey(String key, String field) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw ProblemException.invalid(field, KEY_RULE);
        }
        return key;
    }

    private static AttributeValue withValue(String key, String subkey, Integer number, JsonNode value, String type, String field) {
        String valueField = field + ".value";
        if (value == null || value.isNull() || value.isMissingNode()) {
            throw ProblemException.invalid(valueField, "is required");
        }
        if (type != null && !TYPES.contains(type)) {
            throw ProblemException.invalid(field + ".type", "must be one of " + String.join(", ", TYPES.stream().sorted().toList()));
        }
        String kind = type != null ? type
                : value.isTextual() ? "string"
                : value.isIntegralNumber() ? "integer"
                : value.isNumber() ? "decimal"
                : value.isBoolean() ? "boolean"
                : null;
        if (kind == null) {
            throw ProblemException.invalid(valueField, "must be a string, a number or a boolean");
        }
        return switch (kind) {
            case "string" -> {
                String text = requireText(value, valueField);
                if (text.length() > MAX_TEXT_BYTES / 4 && text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_TEXT_BYTES) {
                    throw ProblemException.invalid(valueField, "must be at most " + MAX_TEXT_BYTES + " bytes in UTF-8");
                }
                yield new AttributeValue(key, subkey, number, kind, text, null);
            }
            case "integer" -> {
                if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                    throw ProblemException.invalid(valueField, "must be an integer (64-bit) for type integer");
                }
                yield new AttributeValue(key, subkey, number, kind, Long.toString(value.longValue()), BigDecimal.valueOf(value.longValue()));
            }
            case "decimal" -> {
                if (!value.isNumber()) {
                    throw ProblemException.invalid(valueField, "must be a number for type decimal");
                }
                BigDecimal decimal = value.decimalValue();
                yield new AttributeValue(key, subkey, number, kind, decimal.toPlainString(), decimal);
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    throw ProblemException.invalid(valueField, "must be true or false for type boolean");
                }
                yield new AttributeValue(key, subkey, number, kind, Boolean.toString(value.booleanValue()), null);
            }
            case "timestamp" -> {
                String text = requireText(value, valueField);
                try {
                    // canonical UTC text, so that text order is time order in expressions
                    yield new AttributeValue(key, subkey, number, kind, OffsetDateTime.parse(text).toInstant().toString(), null);
                } catch (DateTimeParseException e) {
                    throw ProblemException.invalid(valueField, "must be an ISO-8601 date-time with offset, e.g. 2026-01-31T12:00:00Z");
                }
            }
            default -> new AttributeValue(key, subkey, number, kind, Names.require(requireText(value, valueField), valueField), null);
        };
    }

    private static String requireText(JsonNode value, String field) {
        if (!value.isTextual()) {
            throw ProblemException.invalid(field, "must be a string");
        }
        return value.textValue(); // U+0000 was refused when the body was read (service-support's JsonHardening)
    }
}
