package io.maestro.client.inventory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/** Where an entity is (clusto's locate): its containment chain up to the outermost container, and its connections. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Location(String entity, String type, List<Link> chain, List<Entity.PortConnection> connections) {
    /** A container of the chain, with the unit and height the entity below takes in it (null when not racked). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Link(String entity, String type, Integer unit, Integer height) {
    }
}
