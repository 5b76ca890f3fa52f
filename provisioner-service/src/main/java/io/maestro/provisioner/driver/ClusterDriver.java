package io.maestro.provisioner.driver;

import io.maestro.events.ProvisioningEvent.NodeStatus;

import java.util.List;
import java.util.Map;

/**
 * tinycloud's driver API, built: a driver knows how to make nodes of one kind exist, run, stop and go away.
 * <p>
 * A driver is an {@code @ApplicationScoped} CDI bean implementing this interface, annotated
 * {@code @Identifier("<name>")} with the same name {@link #name()} returns; groups choose it by that name.
 * Methods block (SSH, cloud APIs) and are only called on worker threads, never on an event loop.
 * Every method may be called again after a crash of the service, so each must be idempotent.
 */
public interface ClusterDriver {

    /** The name groups use in {@code "driver"}, e.g. {@code local} or {@code aws-ec2}. */
    String name();

    /**
     * Checks a group before anything is created (options, credentials, quotas). With {@code dryRun} it must
     * change nothing at the provider. Throws {@link DriverException#invalid} for a caller's mistake.
     */
    void prepare(DriverContext context, String tag, int count, boolean dryRun);

    /**
     * Makes the given nodes of group {@code tag} run and returns them. Idempotent: a node that runs already is
     * returned as it is, a stopped one is started, a missing one is created (found again first, by its tag and
     * index, if an earlier call was interrupted).
     */
    List<DriverNode> start(DriverContext context, String tag, List<NodeSlot> nodes);

    /**
     * Like {@link #start(DriverContext, String, List)}, but a provider without capacity for all of them may make only
     * some run, at least {@code atLeast} (else it throws): the nodes left out are the highest indexes of those it had
     * to create, and {@link Started#shortfall()} says why. A driver that always places every node need not override this.
     */
    default Started start(DriverContext context, String tag, List<NodeSlot> nodes, int atLeast) {
        return Started.all(start(context, tag, nodes));
    }

    /**
     * A command that must exit 0 on a node, after it answers SSH, before the node counts as running (e.g. {@code
     * cloud-init status --wait}); empty when answering SSH is enough.
     */
    default java.util.Optional<String> readyCommand(DriverContext context) {
        return java.util.Optional.empty();
    }

    /** Stops the given nodes, keeping their disks; stopping a stopped node does nothing. */
    void stop(DriverContext context, String tag, List<NodeSlot> nodes);

    /** The provider's view of each node, by index; a node the provider does not know is {@code terminated}. */
    Map<Integer, NodeStatus> status(DriverContext context, String tag, List<NodeSlot> nodes);

    /** Removes the given nodes for good; destroying a missing node does nothing. */
    void destroy(DriverContext context, String tag, List<NodeSlot> nodes);

    /** Every node the provider has for this cluster (and group, when {@code tag} is not null). */
    List<DriverNode> list(DriverContext context, String tag);

    /**
     * What launching {@code count} nodes of group {@code tag} would call at the provider, for a dry run's plan; called
     * after {@link #prepare} with {@code dryRun} passed, and must change nothing.
     */
    default DriverPlan plan(DriverContext context, String tag, int count) {
        return new DriverPlan(List.of(), null, false);
    }

    /** Releases what {@link #prepare} created for the whole cluster (security groups, key pairs...). */
    default void cleanUp(DriverContext context) {
    }

    /**
     * Checks the values of a group's options at the edge, before a command is accepted; throws
     * {@link DriverException#invalid} naming the option and its rule (a 400 for the caller).
     */
    default void checkOptions(Map<String, String> options) {
    }

    /** Options a group may pass to this driver, for validation; an unknown option is a caller's mistake. */
    default java.util.Set<String> knownOptions() {
        return java.util.Set.of();
    }

    /** Options every group of this driver must pass (a subset of {@link #knownOptions()}); missing is a 400. */
    default java.util.Set<String> requiredOptions() {
        return java.util.Set.of();
    }
}
