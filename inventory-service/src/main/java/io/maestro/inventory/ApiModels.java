package io.maestro.inventory;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * What the inventory answers, one record per shape, each in the OpenAPI document as it is produced. An entity's
 * JSON is built by PostgreSQL ({@code entity_json}, one function for answers, history and events) and read into
 * {@link EntityView} by Jackson.
 */
public final class ApiModels {
    private ApiModels() {
    }

    @Schema(description = "An entity as entity_json(id) builds it; its version is also the ETag")
    public record EntityView(String id, String name, String type, long version, String createdAt, String updatedAt,
                             @Schema(nullable = true, description = "The containing entity") String parent,
                             List<String> pools, List<PortConnection> connections, List<AddressView> addresses,
                             List<AttributeView> attributes) {
    }

    @Schema(description = "One value of an attribute; value is a string, number or boolean according to type")
    public record AttributeView(String key, @Schema(nullable = true) String subkey, @Schema(nullable = true) Integer number,
                                @Schema(enumeration = {"string", "integer", "decimal", "boolean", "timestamp", "reference"}) String type,
                                @Schema(description = "string, number or boolean") Object value,
                                @JsonInclude(JsonInclude.Include.NON_NULL)
                                @Schema(nullable = true, description = "With ?effective=true: the pool or container the attribute is inherited from; absent when the entity's own")
                                String from) {
    }

    public record PortConnection(String port, String entity, String remotePort) {
    }

    public record AddressView(String address, String range) {
    }

    public record SearchPage(List<EntityView> items,
                             @Schema(nullable = true, description = "Pass as cursor for the next page; null on the last") String nextCursor) {
    }

    public record BulkCreated(@Schema(description = "Entities created") int created) {
    }

    @Schema(description = "clusto locate: the containers from the nearest outwards, and the entity's port connections")
    public record Location(String entity, String type, List<ChainLink> chain, List<PortConnection> connections) {
    }

    @Schema(description = "A container, with the unit and height the previous element of the chain occupies in it")
    public record ChainLink(String entity, String type, @Schema(nullable = true) Integer unit, @Schema(nullable = true) Integer height) {
    }

    @Schema(description = "An InventoryMutation from the outbox")
    public record Mutation(String eventId, String occurredAt, String entityId, String entityName, long version, String op,
                           @Schema(nullable = true) EntityView before, @Schema(nullable = true) EntityView after,
                           @Schema(nullable = true, description = "Who made the change: the subject of the token of the request, or the actor of the provisioning event; null for changes made before access control or by the provisioner on its own")
                           String actor,
                           @Schema(nullable = true, description = "Why, as the request that made the change said (?note=)") String note) {
    }

    public record ConnectionView(long id, PortEnd a, PortEnd b) {
    }

    public record PortEnd(String entity, String port) {
    }

    public record Allocation(List<EntityView> entities, @Schema(description = "true when an earlier result for the idempotencyKey was returned") boolean replayed,
                             @Schema(description = "true when this is what would be allocated now (?dryRun=true): nothing was written") boolean dryRun) {
    }

    public record IpRange(String name, String cidr) {
    }

    public record IpRangeUsage(String name, String cidr,
                               @Schema(description = "How many host addresses the range hands out, in decimal (an IPv6 range may hold more than 2^53)") String hosts,
                               @Schema(description = "How many of them are allocated") long allocated,
                               @Schema(description = "allocated / hosts, from 0 to 1") double utilisation) {
    }

    public record IpRangePage(List<IpRangeUsage> items,
                              @Schema(nullable = true, description = "Pass as cursor for the next page; null on the last") String nextCursor) {
    }

    public record AddressAllocation(String address, String range, String entity) {
    }
}
