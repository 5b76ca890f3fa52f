package io.maestro.inventory.entity;

import java.util.List;

/** Request bodies of the entity endpoints (DESIGN.md section 5). */
public final class EntityRequests {
    private EntityRequests() {
    }

    public record CreateEntity(String name, String type, List<AttributeInput> attributes) {
    }

    /** {@code POST /v1/entities/bulk}: many creations in one transaction, all or nothing. */
    public record BulkCreate(List<CreateEntity> entities) {
    }

    /** Changes the type and/or replaces all attributes; the name is immutable (references and history use it). */
    public record PatchEntity(String name, String type, List<AttributeInput> attributes) {
    }

    public record Position(Integer unit, Integer height) {
    }

    public record AddContent(String child, Position position) {
    }

    public record PortRef(String entity, String port) {
    }

    public record Connect(PortRef a, PortRef b) {
    }
}
