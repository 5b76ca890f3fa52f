package io.maestro.client.inventory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * An entity's ports, in natural order: those its type declared (port templates, given when the entity was created or
 * given the type) and those it is cabled on. With {@code declaredOnly}, it is cabled on its declared ports only.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Ports(String entity, String type, boolean declaredOnly, List<Port> ports) {
    public Ports {
        ports = ports == null ? List.of() : List.copyOf(ports);
    }

    /** A port; {@code connectedTo} is the port at the other end of its cable, null when not cabled. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Port(String port, boolean declared, End connectedTo) {
    }

    /** A port of another entity. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record End(String entity, String port) {
    }
}
