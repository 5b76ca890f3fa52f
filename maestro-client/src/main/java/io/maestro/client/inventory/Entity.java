package io.maestro.client.inventory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Optional;

/**
 * An entity of the inventory as it was when read (clusto's generic entity): its name, type, version (for
 * {@code If-Match}), parent, pools, port connections, addresses and attributes.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Entity(String id, String name, String type, long version, String createdAt, String updatedAt, String parent,
                     List<String> pools, List<PortConnection> connections, List<Address> addresses, List<Attribute> attributes) {
    public Entity {
        pools = pools == null ? List.of() : List.copyOf(pools);
        connections = connections == null ? List.of() : List.copyOf(connections);
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
        attributes = attributes == null ? List.of() : List.copyOf(attributes);
    }

    /**
     * An attribute: {@code key} (and {@code subkey}, {@code number}), its type and its value as JSON; {@code from} names
     * the pool or container it is inherited from when read as an effective attribute ({@link Inventory#effective}),
     * else null.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Attribute(String key, String subkey, Integer number, String type, JsonNode value, String from) {
    }

    /** One of this entity's ports, connected to {@code remotePort} of {@code entity}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PortConnection(String port, String entity, String remotePort) {
    }

    /** An address allocated to this entity from an IP range. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Address(String address, String range) {
    }

    /** The values of attribute {@code key} (without subkey), in order. */
    public List<JsonNode> values(String key) {
        return attributes.stream().filter(a -> a.key().equals(key) && a.subkey() == null).map(Attribute::value).toList();
    }

    /** The first value of attribute {@code key} (without subkey) as text, if it has one. */
    public Optional<String> value(String key) {
        return values(key).stream().findFirst().map(JsonNode::asText);
    }
}
