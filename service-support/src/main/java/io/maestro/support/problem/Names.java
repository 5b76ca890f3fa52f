package io.maestro.support.problem;

import io.maestro.events.Require;

/** The name rule of DESIGN.md section 5, checked at the edge with a problem naming the field. */
public final class Names {
    public static final String RULE = "must match " + Require.NAME.pattern();

    private Names() {
    }

    /** Returns {@code value} when it is a valid name, else throws a 400 naming {@code field}. */
    public static String require(String value, String field) {
        if (value == null || !Require.NAME.matcher(value).matches()) {
            throw ProblemException.invalid(field, RULE);
        }
        return value;
    }
}
