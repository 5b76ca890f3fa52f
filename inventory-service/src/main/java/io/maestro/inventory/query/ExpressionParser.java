package io.maestro.inventory.query;

import io.maestro.inventory.AttributeValue;
import io.maestro.inventory.query.Expression.And;
import io.maestro.inventory.query.Expression.Attr;
import io.maestro.inventory.query.Expression.Connected;
import io.maestro.inventory.query.Expression.In;
import io.maestro.inventory.query.Expression.InPool;
import io.maestro.inventory.query.Expression.NameMatches;
import io.maestro.inventory.query.Expression.Not;
import io.maestro.inventory.query.Expression.Op;
import io.maestro.inventory.query.Expression.Or;
import io.maestro.inventory.query.Expression.TypeIs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Hand-written recursive descent over DESIGN.md section 6:
 * <pre>
 * expr := term (("and" | "or") term)*     "and" binds tighter than "or"; two terms side by side mean "and"
 * term := "not" term | "(" expr ")" | atom
 * atom := "type:" word | "name:" pattern | ("attr:" | "effective:") key["." subkey] [op value] | "in:" name | "connected:" name
 *       | "pool:" name
 * </pre>
 * Every error names the 0-based position and what was expected there.
 */
public final class ExpressionParser {
    /** Longest accepted expression, in characters. */
    public static final int MAX_LENGTH = 4096;
    /** Deepest nesting of '(' and 'not'; each level is a Java call frame here and a nested condition in SQL. */
    public static final int MAX_DEPTH = 64;
    /** Most atoms in one expression; each becomes a subquery of the one SQL statement. */
    public static final int MAX_TERMS = 256;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,127}");
    private static final Pattern GLOB = Pattern.compile("[a-z0-9._*?-]{1,128}");
    private static final String ATOMS = "'type:', 'name:', 'attr:', 'effective:', 'in:', 'connected:', 'pool:', 'not' or '('";

    private final String source;
    private int pos;
    private int depth;
    private int terms;

    private ExpressionParser(String source) {
        this.source = source;
    }

    public static Expression parse(String source) {
        if (source.length() > MAX_LENGTH) {
            throw new ExpressionException(MAX_LENGTH, "an expression must be at most " + MAX_LENGTH + " characters");
        }
        int nul = source.indexOf('\u0000');
        if (nul >= 0) {
            throw new ExpressionException(nul, "U+0000 (NUL) is not allowed"); // PostgreSQL cannot take it as a value
        }
        ExpressionParser parser = new ExpressionParser(source);
        parser.skipSpace();
        if (parser.atEnd()) {
            throw new ExpressionException(0, "expected an expression (" + ATOMS + ") but found the end");
        }
        Expression expression = parser.or();
        parser.skipSpace();
        if (!parser.atEnd()) {
            throw new ExpressionException(parser.pos, "expected 'and', 'or' or the end but found '" + parser.snippet() + "'");
        }
        return expression;
    }

    private Expression or() {
        List<Expression> terms = new ArrayList<>();
        terms.add(and());
        while (keyword("or")) {
            terms.add(and());
        }
        return terms.size() == 1 ? terms.get(0) : new Or(terms);
    }

    private Expression and() {
        List<Expression> terms = new ArrayList<>();
        terms.add(term());
        while (true) {
            if (keyword("and")) {
                terms.add(term());
            } else if (startsTerm()) {
                terms.add(term()); // juxtaposition, as in "type:server in:rack002"
            } else {
                break;
            }
        }
        return terms.size() == 1 ? terms.get(0) : new And(terms);
    }

    private Expression term() {
        skipSpace();
        if (atEnd()) {
            throw new ExpressionException(pos, "expected " + ATOMS + " but found the end");
        }
        int start = pos;
        if (keyword("not")) {
            enter(start);
            Expression negated = new Not(term());
            depth--;
            return negated;
        }
        if (peek() == '(') {
            int open = pos;
            enter(open);
            pos++;
            skipSpace();
            if (!atEnd() && peek() == ')') {
                throw new ExpressionException(pos, "expected an expression inside '(' but found ')'");
            }
            Expression inner = or();
            skipSpace();
            if (atEnd() || peek() != ')') {
                throw new ExpressionException(pos, "expected ')' to close '(' at position " + open + " but found "
                        + (atEnd() ? "the end" : "'" + snippet() + "'"));
            }
            pos++;
            depth--;
            return inner;
        }
        if (++terms > MAX_TERMS) {
            throw new ExpressionException(start, "an expression may have at most " + MAX_TERMS + " terms (more than " + MAX_TERMS + " terms here)");
        }
        return atom();
    }

    /** One more level of '(' or 'not' at {@code at}; refused beyond {@link #MAX_DEPTH}, before the stack could overflow. */
    private void enter(int at) {
        if (++depth > MAX_DEPTH) {
            throw new ExpressionException(at, "'(' and 'not' may not be nested more than " + MAX_DEPTH + " levels deep");
        }
    }

    private Expression atom() {
        int start = pos;
        while (!atEnd() && Character.isLetter(peek())) {
            pos++;
        }
        String prefix = source.substring(start, pos);
        if (atEnd() || peek() != ':') {
            pos = start;
            throw new ExpressionException(start, "expected " + ATOMS + " but found '" + snippet() + "'");
        }
        pos++;
        return switch (prefix) {
            case "type" -> new TypeIs(name("a type"));
            case "name" -> namePattern();
            case "attr" -> attr();
            case "effective" -> new Expression.Effective(attr());
            case "in" -> new In(name("a container name"));
            case "connected" -> new Connected(name("an entity name"));
            case "pool" -> new InPool(name("a pool name"));
            default -> throw new ExpressionException(start, "unknown atom '" + prefix + ":'; expected " + ATOMS);
        };
    }

    private NameMatches namePattern() {
        if (!atEnd() && peek() == '/') {
            int open = pos;
            pos++;
            StringBuilder regex = new StringBuilder();
            while (!atEnd() && peek() != '/') {
                if (peek() == '\\' && pos + 1 < source.length() && source.charAt(pos + 1) == '/') {
                    pos++;
                }
                regex.append(source.charAt(pos++));
            }
            if (atEnd()) {
                throw new ExpressionException(open, "regular expression opened with '/' is not closed");
            }
            pos++;
            if (regex.isEmpty()) {
                throw new ExpressionException(open, "expected a regular expression between '/' and '/'");
            }
            return new NameMatches(regex.toString(), true);
        }
        int start = pos;
        String glob = word();
        if (!GLOB.matcher(glob).matches()) {
            throw new ExpressionException(start, "expected a name glob (letters a-z, digits, '.', '_', '-', '*', '?') or /regex/ but found '"
                    + (glob.isEmpty() ? snippet() : glob) + "'");
        }
        return new NameMatches(glob, false);
    }

    private Attr attr() {
        int start = pos;
        while (!atEnd() && (Character.isLetterOrDigit(peek()) || peek() == '_' || peek() == '-')) {
            pos++;
        }
        String key = source.substring(start, pos);
        if (!AttributeValue.KEY.matcher(key).matches()) {
            throw new ExpressionException(start, "expected an attribute key (" + AttributeValue.KEY.pattern() + ") but found '"
                    + (key.isEmpty() ? snippet() : key) + "'");
        }
        String subkey = null;
        if (!atEnd() && peek() == '.') {
            pos++;
            int subStart = pos;
            while (!atEnd() && (Character.isLetterOrDigit(peek()) || peek() == '_' || peek() == '-')) {
                pos++;
            }
            subkey = source.substring(subStart, pos);
            if (!AttributeValue.KEY.matcher(subkey).matches()) {
                throw new ExpressionException(subStart, "expected a subkey after '.' but found '" + (subkey.isEmpty() ? snippet() : subkey) + "'");
            }
        }
        Op op = op();
        if (op == null) {
            return new Attr(key, subkey, null, null, false);
        }
        int valueStart = pos;
        if (!atEnd() && peek() == '"') {
            pos++;
            StringBuilder value = new StringBuilder();
            while (!atEnd() && peek() != '"') {
                if (peek() == '\\' && pos + 1 < source.length()) {
                    pos++;
                }
                value.append(source.charAt(pos++));
            }
            if (atEnd()) {
                throw new ExpressionException(valueStart, "string opened with '\"' is not closed");
            }
            pos++;
            return new Attr(key, subkey, op, value.toString(), true);
        }
        String value = word();
        if (value.isEmpty()) {
            throw new ExpressionException(valueStart, "expected a value after '" + op.symbol + "' but found "
                    + (atEnd() ? "the end" : "'" + snippet() + "'"));
        }
        return new Attr(key, subkey, op, value, false);
    }

    private Op op() {
        if (atEnd()) {
            return null;
        }
        String two = source.substring(pos, Math.min(pos + 2, source.length()));
        for (Op op : List.of(Op.NE, Op.LE, Op.GE)) {
            if (two.equals(op.symbol)) {
                pos += 2;
                return op;
            }
        }
        for (Op op : List.of(Op.EQ, Op.LT, Op.GT)) {
            if (peek() == op.symbol.charAt(0)) {
                pos++;
                return op;
            }
        }
        return null;
    }

    private String name(String what) {
        int start = pos;
        String word = word();
        if (!NAME.matcher(word).matches()) {
            throw new ExpressionException(start, "expected " + what + " (" + NAME.pattern() + ") but found "
                    + (word.isEmpty() ? (atEnd() ? "the end" : "'" + snippet() + "'") : "'" + word + "'"));
        }
        return word;
    }

    /** Characters up to whitespace, a parenthesis or the end. */
    private String word() {
        int start = pos;
        while (!atEnd() && !Character.isWhitespace(peek()) && peek() != '(' && peek() != ')') {
            pos++;
        }
        return source.substring(start, pos);
    }

    /** Consumes {@code word} when it stands alone (followed by space, '(' or the end). */
    private boolean keyword(String word) {
        skipSpace();
        int end = pos + word.length();
        if (source.startsWith(word, pos) && (end == source.length() || Character.isWhitespace(source.charAt(end)) || source.charAt(end) == '(')) {
            pos = end;
            return true;
        }
        return false;
    }

    private boolean startsTerm() {
        skipSpace();
        if (atEnd() || peek() == ')') {
            return false;
        }
        int save = pos;
        boolean isOr = keyword("or");
        pos = save;
        return !isOr;
    }

    private void skipSpace() {
        while (!atEnd() && Character.isWhitespace(peek())) {
            pos++;
        }
    }

    private boolean atEnd() {
        return pos >= source.length();
    }

    private char peek() {
        return source.charAt(pos);
    }

    private String snippet() {
        int end = pos;
        while (end < source.length() && !Character.isWhitespace(source.charAt(end)) && end - pos < 20) {
            end++;
        }
        return end == pos ? source.substring(pos, Math.min(pos + 1, source.length())) : source.substring(pos, end);
    }
}
