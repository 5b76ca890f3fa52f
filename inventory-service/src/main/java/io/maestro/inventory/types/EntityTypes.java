package io.maestro.inventory.types;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import io.maestro.inventory.repository.Row;
import io.maestro.inventory.repository.Statements;
import io.maestro.inventory.repository.Transactions;
import io.maestro.support.problem.ProblemException;
import io.maestro.support.validation.MaestroName;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Valid;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/**
 * The type registry ({@code /v1/types}): what the inventory knows about an entity type beyond its name. So far,
 * whether its entities pass connections through (patch panels) and how their ports pair, for the connection trace.
 */
@ApplicationScoped
public class EntityTypes {

    /**
     * {@code PUT /v1/types/{type}}. A field the registry does not know is a 400, not dropped as elsewhere: a caller
     * who sends rules the registry does not keep must not believe they hold.
     */
    @Schema(description = "What entities of the type are; every field optional. Replaces the type's earlier definition")
    public record TypeDefinition(@Schema(nullable = true, description = "Entities of this type pass connections through "
            + "(patch panels): port front+x is wired inside to port rear+x; null: they do not") @Valid PassThrough passThrough,
                                 @JsonAnySetter @Schema(hidden = true) Map<String, Object> unknown) {
    }

    @Schema(description = "How a pass-through entity's ports pair: the port named front + x with the port named rear + x "
            + "(front-1 with rear-1 for the prefixes front- and rear-); neither prefix may start the other")
    public record PassThrough(@MaestroName String front, @MaestroName String rear) {
    }

    public record TypeView(String name, @Schema(nullable = true) PassThrough passThrough, long version, String updatedAt) {
    }

    public record TypeList(List<TypeView> items) {
    }

    private static final String COLUMNS = "name, front_prefix, rear_prefix, version, updated_at::text";

    private final Statements sql;

    public EntityTypes(Statements sql) {
        this.sql = sql;
    }

    /** Defines type {@code name}, or replaces its definition (its version goes up). */
    public Uni<TypeView> define(String name, TypeDefinition definition) {
        if (definition.unknown() != null && !definition.unknown().isEmpty()) {
            throw ProblemException.invalid(definition.unknown().keySet().iterator().next(), "unknown field; a type definition has: passThrough");
        }
        PassThrough through = definition.passThrough();
        if (through != null && (through.front().startsWith(through.rear()) || through.rear().startsWith(through.front()))) {
            throw ProblemException.invalid("passThrough.rear", "must not start with passThrough.front, nor the other way round "
                    + "(a port would pair both ways)");
        }
        return Transactions.inTransaction(() -> sql.one("insert into entity_type (name, front_prefix, rear_prefix) values (?1, ?2, ?3) "
                        + "on conflict (name) do update set front_prefix = excluded.front_prefix, rear_prefix = excluded.rear_prefix, "
                        + "version = entity_type.version + 1, updated_at = now() returning " + COLUMNS,
                name, through == null ? null : through.front(), through == null ? null : through.rear()))
                .map(EntityTypes::view);
    }

    public Uni<TypeView> get(String name) {
        return Transactions.read(() -> sql.first("select " + COLUMNS + " from entity_type where name = ?1", name))
                .map(row -> view(row.orElseThrow(() -> notDefined(name))));
    }

    public Uni<TypeList> list() {
        return Transactions.read(() -> sql.rows("select " + COLUMNS + " from entity_type order by name"))
                .map(rows -> new TypeList(rows.stream().map(EntityTypes::view).toList()));
    }

    /** Forgets type {@code name}'s definition; its entities stay, as entities of a type without one. */
    public Uni<Void> forget(String name) {
        return Transactions.inTransaction(() -> sql.update("delete from entity_type where name = ?1", name)).invoke(deleted -> {
            if (deleted == 0) {
                throw notDefined(name);
            }
        }).replaceWithVoid();
    }

    private static ProblemException notDefined(String name) {
        return ProblemException.notFound("type '" + name + "' is not defined");
    }

    private static TypeView view(Row row) {
        PassThrough through = row.isNull(1) ? null : new PassThrough(row.string(1), row.string(2));
        return new TypeView(row.string(0), through, row.longValue(3), row.string(4));
    }
}
