package io.maestro.cli;

import java.util.ArrayList;
import java.util.List;

/** A Kafka client's failure as one readable line: its message and its causes' (a wrapper's alone says too little). */
public final class KafkaProblems {
    private static final java.util.regex.Pattern CLASS_PREFIX =
            java.util.regex.Pattern.compile("^(?:[a-z_][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error): ");

    private KafkaProblems() {
    }

    /** The distinct messages of the failure and its causes, outermost first; never a class name. */
    public static String message(Throwable failure) {
        List<String> parts = new ArrayList<>();
        for (Throwable cause = failure; cause != null && parts.size() < 4; cause = cause.getCause()) {
            String message = cause.getMessage();
            if (message == null || message.isBlank()) {
                continue;
            }
            // A wrapped failure's message starts with the class name of its cause: not for the user.
            String line = CLASS_PREFIX.matcher(message.strip()).replaceFirst("");
            if (parts.stream().noneMatch(part -> part.contains(line))) {
                parts.add(line);
            }
        }
        return parts.isEmpty() ? "Kafka client failure" : String.join(": ", parts);
    }
}
