package io.maestro.inventory.types;

import io.maestro.support.problem.Problem;
import io.maestro.support.problem.ProblemException;

import java.util.List;

/**
 * A change would leave entities breaking their types' attribute rules ({@code PUT /v1/types/{type}} "attributes"):
 * 400 naming each attribute and rule, or 409 when every broken rule is a unique value another entity holds.
 */
public final class SchemaViolation extends ProblemException {
    /** One broken rule: the entity, the attribute key, the rule in the API's words; conflict: a unique value is taken. */
    public record Broken(String entity, String key, String rule, boolean conflict) {
    }

    private final transient List<Broken> broken;

    public SchemaViolation(List<Broken> broken) {
        super(broken.stream().allMatch(Broken::conflict) ? 409 : 400, broken.stream().allMatch(Broken::conflict) ? "Conflict" : "Invalid request",
                "'" + broken.get(0).entity() + "' would break the attribute rules of its type: " + broken.get(0).key() + " " + broken.get(0).rule()
                        + (broken.size() > 1 ? " (and " + (broken.size() - 1) + " more)" : ""),
                broken.stream().map(b -> new Problem.FieldError("attributes." + b.key(), (b.entity() == null ? "" : b.entity() + ": ") + b.rule())).toList());
        this.broken = List.copyOf(broken);
    }

    public List<Broken> broken() {
        return broken;
    }
}
