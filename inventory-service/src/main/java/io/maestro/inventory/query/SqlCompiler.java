package io.maestro.inventory.query;

import io.maestro.inventory.query.Expression.And;
import io.maestro.inventory.query.Expression.Attr;
import io.maestro.inventory.query.Expression.Connected;
import io.maestro.inventory.query.Expression.Effective;
import io.maestro.inventory.query.Expression.In;
import io.maestro.inventory.query.Expression.InPool;
import io.maestro.inventory.query.Expression.NameMatches;
import io.maestro.inventory.query.Expression.Not;
import io.maestro.inventory.query.Expression.Op;
import io.maestro.inventory.query.Expression.Or;
import io.maestro.inventory.query.Expression.TypeIs;

import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Compiles an {@link Expression} into one SQL condition over {@code entity e}, every value a bind parameter.
 * Transitive {@code in:} is a recursive CTE walking down from the container, evaluated once per statement.
 */
public final class SqlCompiler {
    /**
     * Beyond this many subquery atoms (attr:, in:, connected:, pool:) in one expression, each subquery is
     * planned on its own. PostgreSQL otherwise turns every one under an AND into a semi- or anti-join of the
     * main query, and planning those grows about cubically: 64 took 3 s, 128 over 45 s. Small expressions
     * keep the join planning, which finds better plans.
     */
    static final int JOINED_SUBQUERIES = 8;

    private final List<Object> params;
    private boolean separate;

    /** @param params receives the bind values; {@code ?n} numbering continues after what it already holds */
    public SqlCompiler(List<Object> params) {
        this.params = params;
    }

    public String condition(Expression expression) {
        separate = subqueries(expression) > JOINED_SUBQUERIES;
        return compile(expression);
    }

    private static int subqueries(Expression expression) {
        if (expression instanceof And and) {
            return and.terms().stream().mapToInt(SqlCompiler::subqueries).sum();
        }
        if (expression instanceof Or or) {
            return or.terms().stream().mapToInt(SqlCompiler::subqueries).sum();
        }
        if (expression instanceof Not not) {
            return subqueries(not.term());
        }
        return expression instanceof TypeIs || expression instanceof NameMatches ? 0 : 1;
    }

    /** A subquery condition; "is true" keeps PostgreSQL from pulling it up into a join (it stays a SubPlan). */
    private String subquery(String condition) {
        return separate ? "(" + condition + ") is true" : condition;
    }

    private String compile(Expression expression) {
        if (expression instanceof And and) {
            return and.terms().stream().map(this::compile).collect(Collectors.joining(" and ", "(", ")"));
        }
        if (expression instanceof Or or) {
            return or.terms().stream().map(this::compile).collect(Collectors.joining(" or ", "(", ")"));
        }
        if (expression instanceof Not not) {
            return "not " + compile(not.term());
        }
        if (expression instanceof TypeIs type) {
            return "e.type = " + param(type.type());
        }
        if (expression instanceof NameMatches name) {
            return name.regex() ? "e.name ~ " + param(name.pattern()) : nameGlob(name.pattern());
        }
        if (expression instanceof Attr attr) {
            return subquery(attr(attr, false));
        }
        if (expression instanceof Effective effective) {
            return subquery(attr(effective.attr(), true));
        }
        if (expression instanceof In in) {
            return subquery("""
                    e.id in (with recursive inside(id) as (
                        select c.child_id from containment c join entity p on p.id = c.parent_id where p.name = %s
                        union select c.child_id from containment c join inside on c.parent_id = inside.id)
                    select id from inside)""".formatted(param(in.container())));
        }
        if (expression instanceof Connected connected) {
            return subquery("""
                    e.id in (select c.peer_id from cable_peer c join entity p on p.id = c.entity_id
                        where p.name = %s)""".formatted(param(connected.entity())));
        }
        InPool pool = (InPool) expression;
        return subquery("e.id in (select pm.entity_id from pool_member pm where pm.pool_id = (select p.id from entity p where p.name = %s))"
                .formatted(param(pool.pool())));
    }

    private String nameGlob(String glob) {
        if (glob.indexOf('*') < 0 && glob.indexOf('?') < 0) {
            return "e.name = " + param(glob);
        }
        return "e.name like " + param(like(glob));
    }

    /** Over the entity's own attributes, or ({@code effective}) over effective_attributes(e.id), evaluated per entity. */
    private String attr(Attr attr, boolean effective) {
        String from = effective ? "effective_attributes(e.id) a" : "attribute a";
        String scope = (effective ? "" : "a.entity_id = e.id and ") + "a.key = " + param(attr.key())
                + (attr.subkey() == null ? "" : " and a.subkey = " + param(attr.subkey()));
        if (attr.op() == null) {
            return "exists (select 1 from " + from + " where " + scope + ")";
        }
        if (attr.op() == Op.NE) {
            // "!=": has the key, and no value of it equals the given one
            return "(exists (select 1 from " + from + " where " + scope + ") and not exists (select 1 from " + from + " where "
                    + scope + " and " + equality(attr.value(), attr.quoted()) + "))";
        }
        if (attr.op() == Op.EQ) {
            return "exists (select 1 from " + from + " where " + scope + " and " + equality(attr.value(), attr.quoted()) + ")";
        }
        BigDecimal number = attr.quoted() ? null : number(attr.value());
        String comparison = number != null
                ? "a.number_value " + attr.op().symbol + " cast(" + param(number) + " as numeric)"
                : "a.text_value " + attr.op().symbol + " " + param(attr.value());
        return "exists (select 1 from " + from + " where " + scope + " and " + comparison + ")";
    }

    private String equality(String value, boolean quoted) {
        if (!quoted && (value.indexOf('*') >= 0 || value.indexOf('?') >= 0)) {
            return "a.text_value like " + param(like(value));
        }
        BigDecimal number = quoted ? null : number(value);
        return number == null
                ? "a.text_value = " + param(value)
                : "(a.number_value = cast(" + param(number) + " as numeric) or a.text_value = " + param(value) + ")";
    }

    private String param(Object value) {
        params.add(value);
        return "?" + params.size();
    }

    private static BigDecimal number(String value) {
        try {
            return new BigDecimal(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A glob as a LIKE pattern: LIKE's own wildcards are escaped first. */
    static String like(String glob) {
        StringBuilder like = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> like.append('%');
                case '?' -> like.append('_');
                case '%', '_', '\\' -> like.append('\\').append(c);
                default -> like.append(c);
            }
        }
        return like.toString();
    }
}
