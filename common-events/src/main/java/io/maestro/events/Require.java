package io.maestro.events;

import java.util.regex.Pattern;

/** Field checks used by the records' constructors; failures name the field and the rule. */
public final class Require {
    /** DESIGN.md section 5: names are {@code [a-z0-9][a-z0-9._-]{0,127}} unless said otherwise. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,127}");

    public static <T> T present(T value, String field) {
        if (value == null) {
            throw new InvalidEventException("missing required field '" + field + "'");
        }
        return value;
    }

    public static String text(String value, String field) {
        present(value, field);
        if (value.isBlank()) {
            throw new InvalidEventException("field '" + field + "' must not be blank");
        }
        return value;
    }

    public static String name(String value, String field) {
        present(value, field);
        if (!NAME.matcher(value).matches()) {
            throw new InvalidEventException("field '" + field + "' must match " + NAME.pattern() + " but was '" + value + "'");
        }
        return value;
    }

    public static long nonNegative(long value, String field) {
        if (value < 0) {
            throw new InvalidEventException("field '" + field + "' must be >= 0 but was " + value);
        }
        return value;
    }

    private Require() {
    }
}
