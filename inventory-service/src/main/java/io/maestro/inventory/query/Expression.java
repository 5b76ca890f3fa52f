package io.maestro.inventory.query;

import java.util.List;

/** The AST of an inventory expression (DESIGN.md section 6). Positions are 0-based offsets into the source. */
public sealed interface Expression {

    record And(List<Expression> terms) implements Expression {
    }

    record Or(List<Expression> terms) implements Expression {
    }

    record Not(Expression term) implements Expression {
    }

    record TypeIs(String type) implements Expression {
    }

    /** {@code name:web*} (a glob: {@code *} any run, {@code ?} one character) or {@code name:/regex/}. */
    record NameMatches(String pattern, boolean regex) implements Expression {
    }

    /** {@code attr:key[.subkey][op value]}; {@code op} and {@code value} are null when only existence is asked. */
    record Attr(String key, String subkey, Op op, String value, boolean quoted) implements Expression {
    }

    /**
     * {@code effective:key[.subkey][op value]}: as {@link Attr}, over the entity's effective attributes (its own, then
     * its pools', then its containers' from the nearest out; the first that has the key gives it).
     */
    record Effective(Attr attr) implements Expression {
    }

    /** Transitive containment: the entity is somewhere inside {@code container}. */
    record In(String container) implements Expression {
    }

    record Connected(String entity) implements Expression {
    }

    record InPool(String pool) implements Expression {
    }

    enum Op {
        EQ("="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

        final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }
    }
}
