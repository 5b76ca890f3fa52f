package io.maestro.inventory.query;

/** A syntax error at {@code position} (0-based) of the expression. */
public class ExpressionException extends RuntimeException {
    private final int position;

    public ExpressionException(int position, String message) {
        super("at position " + position + ": " + message);
        this.position = position;
    }

    public int position() {
        return position;
    }
}
