package io.maestro.provisioner.driver;

import java.util.List;

/**
 * What {@link ClusterDriver#start(DriverContext, String, List, int)} made run: the nodes, where the provider put the
 * ones it created, and, when fewer than asked run because the provider had no capacity for the rest, why
 * ({@code shortfall}; null when all run).
 */
public record Started(List<DriverNode> nodes, List<Placement> placements, String shortfall) {
    public Started {
        nodes = List.copyOf(nodes);
        placements = List.copyOf(placements);
    }

    /** Every node asked for runs, with nothing to say about where. */
    public static Started all(List<DriverNode> nodes) {
        return new Started(nodes, List.of(), null);
    }

    /**
     * Nodes created by one call of the provider, and where: e.g. {@code c6i.large}, {@code spot}, {@code subnet-0abc}.
     * {@code location} null when the provider chose it.
     */
    public record Placement(String instanceType, String market, String location, List<Integer> indexes) {
        public Placement {
            indexes = List.copyOf(indexes);
        }
    }
}
