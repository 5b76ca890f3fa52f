package io.maestro.support.validation;

import jakarta.validation.ConstraintValidatorContext;

/** Violations whose message is a rule written in code (a pattern, a bound from configuration), reported word for word. */
public final class Rules {
    private Rules() {
    }

    /**
     * Replaces the constraint's default violation by one saying {@code rule}. Braces, '$' and '\' are escaped, so
     * a pattern such as {@code [a-z]{0,127}} is not taken for a message parameter.
     */
    public static void report(ConstraintValidatorContext context, String rule) {
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(escape(rule)).addConstraintViolation();
    }

    static String escape(String rule) {
        return rule.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("$", "\\$");
    }
}
