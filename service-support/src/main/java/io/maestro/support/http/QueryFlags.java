package io.maestro.support.http;

import io.maestro.support.problem.ProblemException;

/** Boolean query parameters ({@code ?dryRun=true}): absent is false, anything but true or false is a 400 naming the parameter. */
public final class QueryFlags {
    private QueryFlags() {
    }

    public static boolean flag(String name, String value) {
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true") || value.isEmpty()) {
            return true; // ?dryRun alone reads as asked for
        }
        throw ProblemException.invalid(name, "must be true or false");
    }
}
