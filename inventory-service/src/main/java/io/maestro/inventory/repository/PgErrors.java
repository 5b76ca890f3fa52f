package io.maestro.inventory.repository;

import io.maestro.support.problem.ProblemException;
import io.vertx.pgclient.PgException;
import org.hibernate.JDBCException;
import org.hibernate.exception.ConstraintViolationException;

import java.util.Optional;

/**
 * PostgreSQL's refusals as the caller's problems: a constraint names the rule that was broken. Hibernate Reactive
 * wraps the driver's {@link PgException}, so the cause chain is searched for it.
 */
public final class PgErrors {
    private static final int MAX_DEPTH = 16;
    /** V12's SQLSTATE for a cable's end on a port its entity does not declare. */
    private static final String UNDECLARED_PORT = "MA001";

    private PgErrors() {
    }

    /** True for a deadlock or a serialization failure: the whole transaction may be run again. */
    public static boolean retryable(Throwable failure) {
        return refusal(failure).map(e -> "40P01".equals(e.sqlState()) || "40001".equals(e.sqlState())).orElse(false);
    }

    /** A 409 or 400 naming the rule for a constraint, a check or an invalid regular expression; anything else as it is. */
    public static Throwable translate(Throwable failure) {
        if (failure instanceof ProblemException) {
            return failure;
        }
        return refusal(failure).map(refusal -> switch (refusal.sqlState()) {
            case "23505" -> (Throwable) ProblemException.conflict(uniqueRule(refusal.constraint()));
            case "23503" -> ProblemException.conflict(referenceRule(refusal.constraint()));
            case "2201B" -> ProblemException.invalid("q", refusal.message());
            // a CHECK is the last line behind a rule the service checks first (a pass-through's prefixes, a position)
            case "23514" -> ProblemException.invalid("body", "breaks the inventory's rule " + refusal.constraint());
            // V12's trigger behind the services' own check: a cable on a port its entity does not declare
            case UNDECLARED_PORT -> ProblemException.invalid("port", refusal.message());
            // statement_timeout (Transactions.search): the expression costs more than the database allows, or it is loaded
            case "57014" -> new ProblemException(503, "Service Unavailable", "the database stopped the search after inventory.query.timeout: "
                    + "narrow q (a name, a type or a pool first), or retry when the inventory is less busy");
            default -> failure;
        }).orElse(failure);
    }

    /** What PostgreSQL said: its SQLSTATE, the constraint it names (or ""), its message. */
    private record Refusal(String sqlState, String constraint, String message) {
    }

    /**
     * The driver's {@link PgException} if it is in the chain, else Hibernate's {@link JDBCException}: Hibernate
     * Reactive turns the former into the latter, which keeps the SQLSTATE and the constraint's name.
     */
    private static Optional<Refusal> refusal(Throwable failure) {
        JDBCException jdbc = null;
        Throwable cause = failure;
        for (int i = 0; i < MAX_DEPTH && cause != null; i++) {
            if (cause instanceof PgException pg) {
                return Optional.of(new Refusal(pg.getSqlState(), pg.getConstraint() == null ? "" : pg.getConstraint(), pg.getErrorMessage()));
            }
            if (jdbc == null && cause instanceof JDBCException found) {
                jdbc = found;
            }
            cause = cause.getCause();
        }
        if (jdbc == null || jdbc.getSQLState() == null) {
            return Optional.empty();
        }
        String constraint = jdbc instanceof ConstraintViolationException violation && violation.getConstraintName() != null
                ? violation.getConstraintName() : "";
        return Optional.of(new Refusal(jdbc.getSQLState(), constraint, serverMessage(jdbc)));
    }

    /** "ERROR: invalid regular expression: ... (2201B)" as the server's words, without the level and the code. */
    private static String serverMessage(JDBCException jdbc) {
        String message = jdbc.getSQLException() != null && jdbc.getSQLException().getMessage() != null
                ? jdbc.getSQLException().getMessage() : jdbc.getErrorMessage();
        return message.replaceFirst("^ERROR: ", "").replaceFirst(" \\([0-9A-Z]{5}\\)$", "");
    }

    private static String uniqueRule(String constraint) {
        return switch (constraint) {
            case "entity_name_key" -> "an entity with this name exists already";
            case "rack_unit_pkey" -> "a rack unit in the requested position is taken";
            case "containment_pkey" -> "the child is contained in another entity already (one parent per entity)";
            case "connection_end_pkey" -> "a port is in another connection already";
            case "pool_member_one_exclusive" -> "the entity is in another exclusive pool already";
            case "pool_member_pkey" -> "the entity is in this pool already";
            case "ip_range_name_key" -> "an IP range with this name exists already";
            default -> "unique constraint " + constraint + " violated";
        };
    }

    private static String referenceRule(String constraint) {
        return switch (constraint) {
            case "containment_parent_id_fkey" -> "the entity contains other entities; remove its contents first";
            case "attribute_ref_id_fkey" -> "another entity's attribute refers to this entity; delete that attribute first";
            default -> "reference " + constraint + " violated";
        };
    }
}
