package io.maestro.inventory.allocation;

import io.maestro.inventory.entity.AttributeInput;

import io.maestro.support.validation.MaestroName;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;

import java.util.List;

/** {@code POST /v1/allocations}: pick {@code count} entities matching {@code query}, optionally each under a different ancestor of type {@code spreadBy}, and assign them. */
public record AllocationRequest(@NotBlank(message = "is required") String query, Integer count, @MaestroName(optional = true) String spreadBy,
                                @Valid Assign assign, String idempotencyKey) {

    /** What the chosen entities get: membership of {@code pool} (created when missing) and these attributes (set semantics per key). */
    public record Assign(@MaestroName(optional = true) String pool, List<AttributeInput> attributes) {
    }
}
