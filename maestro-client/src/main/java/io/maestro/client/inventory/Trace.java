package io.maestro.client.inventory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;

/**
 * Where a port's connection leads: each connection (cable) in order, through the entities whose type passes
 * connections through (patch panels), to the far end. Not {@code complete} when the path stops inside a panel,
 * loops or is too long; {@code stoppedBecause} says which.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Trace(Port from, List<Segment> segments, Port to, boolean complete, String stoppedBecause) {
    public Trace {
        segments = segments == null ? List.of() : List.copyOf(segments);
    }

    /** A port of an entity on the path. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Port(String entity, String type, String port) {
    }

    /** One connection, from the port nearer the start to the far one. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Segment(long connectionId, Port from, Port to) {
    }
}
