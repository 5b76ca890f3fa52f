package io.maestro.provisioner;

import java.util.regex.Pattern;

/**
 * Reasons of failures as callers see them (command messages, exec errors, problem details): the words of what went
 * wrong, never a Java class name or a stack trace. The full exception goes to the log where it is caught.
 */
public final class Failures {
    // "java.net.ConnectException: ", "io.maestro.x.ApiModels$LaunchRequest", "(SshException)", "IllegalStateException: "
    private static final Pattern CLASS_NAME = Pattern.compile(
            "\\(?(?:\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z][\\w$]*|\\b[A-Z]\\w*(?:Exception|Error)\\b)\\)?:?\\s*");
    private static final int MAX_DEPTH = 16;

    private Failures() {
    }

    /** The message of the innermost cause (the one that says what happened), without class names. */
    public static String reason(Throwable failure) {
        Throwable root = failure;
        for (int i = 0; i < MAX_DEPTH && root.getCause() != null && root.getCause() != root; i++) {
            root = root.getCause();
        }
        String message = clean(root.getMessage());
        return message.isEmpty() ? "unexpected error without detail; the service log has it" : message;
    }

    /** {@code message} without Java class names; empty for null. */
    public static String clean(String message) {
        return message == null ? "" : CLASS_NAME.matcher(message).replaceAll("").trim();
    }
}
