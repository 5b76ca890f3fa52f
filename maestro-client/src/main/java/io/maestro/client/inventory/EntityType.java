package io.maestro.client.inventory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** What the inventory knows about an entity type: whether its entities pass connections through, and how (null: not). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EntityType(String name, PassThrough passThrough, long version, String updatedAt) {
    /** Port {@code front + x} is wired inside the entity to port {@code rear + x}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PassThrough(String front, String rear) {
    }
}
