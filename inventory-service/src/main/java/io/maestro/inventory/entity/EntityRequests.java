package io.maestro.inventory.entity;

import io.maestro.support.validation.MaestroName;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/** Request bodies of the entity endpoints (DESIGN.md section 5). */
public final class EntityRequests {
    public static final int MAX_ATTRIBUTES = 1000;
    public static final int MAX_BULK = 5000;
    static final String BULK_RULE = "must hold 1 to " + MAX_BULK + " entities";
    static final String PORT_RULE = "is required: \\{\"entity\", \"port\"\\}";

    private EntityRequests() {
    }

    public record CreateEntity(@MaestroName String name, @MaestroName String type,
                               @Size(max = MAX_ATTRIBUTES, message = "at most " + MAX_ATTRIBUTES + " attributes per request") List<AttributeInput> attributes) {
    }

    /** {@code POST /v1/entities/bulk}: many creations in one transaction, all or nothing. */
    public record BulkCreate(@NotEmpty(message = BULK_RULE) @Size(max = MAX_BULK, message = BULK_RULE)
                             List<@NotNull(message = "must be an entity") @Valid CreateEntity> entities) {
    }

    /** Changes the type and/or replaces all attributes; the name is immutable (references and history use it). */
    public record PatchEntity(String name, @MaestroName(optional = true) String type,
                              @Size(max = MAX_ATTRIBUTES, message = "at most " + MAX_ATTRIBUTES + " attributes per request") List<AttributeInput> attributes) {
    }

    public record Position(@NotNull(message = "must be >= 1") @Min(value = 1, message = "must be >= 1") Integer unit,
                           @Min(value = 1, message = "must be between 1 and 100") @Max(value = 100, message = "must be between 1 and 100") Integer height) {
    }

    public record AddContent(@MaestroName String child, @Valid Position position) {
    }

    public record PortRef(@MaestroName String entity, @MaestroName String port) {
    }

    public record Connect(@NotNull(message = PORT_RULE) @Valid PortRef a, @NotNull(message = PORT_RULE) @Valid PortRef b) {
    }
}
