package io.maestro.inventory.allocation;

import io.maestro.inventory.entity.AttributeInput;

import java.util.List;

/** {@code POST /v1/allocations}: pick {@code count} entities matching {@code query}, optionally each under a different ancestor of type {@code spreadBy}, and assign them. */
public record AllocationRequest(String query, Integer count, String spreadBy, Assign assign, String idempotencyKey) {

    /** What the chosen entities get: membership of {@code pool} (created when missing) and these attributes (set semantics per key). */
    public record Assign(String pool, List<AttributeInput> attributes) {
    }
}
