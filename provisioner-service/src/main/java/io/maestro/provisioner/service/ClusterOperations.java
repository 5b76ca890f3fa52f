package io.maestro.provisioner.service;

import org.eclipse.microprofile.context.ThreadContext;
import org.eclipse.microprofile.context.ManagedExecutor;
import io.maestro.events.EventCodec;
import io.maestro.events.ProvisioningCommand;
import io.maestro.events.ProvisioningCommand.GroupSpec;
import io.maestro.events.ProvisioningEvent;
import io.maestro.events.ProvisioningEvent.NodeStatus;
import io.maestro.provisioner.Failures;
import io.maestro.provisioner.ClusterRecord;
import io.maestro.provisioner.ExecResult;
import io.maestro.provisioner.GroupRecord;
import io.maestro.provisioner.NodeRecord;
import io.maestro.provisioner.config.ProvisionerConfig;
import io.maestro.provisioner.driver.ClusterDriver;
import io.maestro.provisioner.driver.DriverContext;
import io.maestro.provisioner.driver.DriverException;
import io.maestro.provisioner.driver.DriverNode;
import io.maestro.provisioner.driver.DriverRegistry;
import io.maestro.provisioner.driver.DriverPlan;
import io.maestro.provisioner.driver.NodeSlot;
import io.maestro.provisioner.driver.Started;
import io.maestro.provisioner.pricing.PriceTable;
import io.maestro.provisioner.expiry.TimeToLive;
import io.maestro.provisioner.messaging.ProvisioningEvents;
import io.maestro.provisioner.repository.ClusterRepository;
import io.maestro.provisioner.repository.Sessions;
import io.maestro.provisioner.ssh.ExecOutcome;
import io.maestro.provisioner.ssh.ServiceIdentity;
import io.maestro.provisioner.ssh.SshKeys;
import io.maestro.provisioner.ssh.SshRunner;
import io.maestro.provisioner.ssh.SshTarget;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * What each command type does, step by step, with a progress event per node. Every step is safe to repeat: a
 * command resumed after a crash starts nodes that run already (a no-op) and finds nodes an interrupted call made.
 * Blocking; runs on worker threads, with each database step in a transaction of its own ({@link Sessions}).
 */
@ApplicationScoped
public class ClusterOperations {

    /** The outcome of a command: a message for the SUCCEEDED event and an optional JSON result. */
    public record Outcome(String message, Object result) {
    }

    /**
     * How bringing up a group went: {@code running} of the {@code wanted} nodes run (at least {@code minCount}), the new
     * ones where {@code placements} say; {@code shortfall} says why the others are missing (null: none is).
     */
    public record GroupOutcome(String tag, int wanted, int minCount, int running, List<Started.Placement> placements, String shortfall) {
    }

    private final ClusterRepository clusters;
    private final DriverRegistry drivers;
    private final ServiceIdentity identity;
    private final SshRunner ssh;
    private final ProvisioningEvents events;
    private final ExecStreams execStreams;
    private final PriceTable prices;
    private final ProvisionerConfig config;

    public ClusterOperations(ClusterRepository clusters,
                             DriverRegistry drivers,
                             ServiceIdentity identity,
                             SshRunner ssh,
                             ProvisioningEvents events,
                             ExecStreams execStreams,
                             PriceTable prices,
                             ProvisionerConfig config) {
        this.clusters = clusters;
        this.drivers = drivers;
        this.identity = identity;
        this.ssh = ssh;
        this.events = events;
        this.execStreams = execStreams;
        this.prices = prices;
        this.config = config;
    }

    /**
     * Nodes of a group are brought up in parallel, one task per node; an exec runs on at most its {@code forks} nodes
     * at once (threads are made as needed, up to {@link CommandValidator#MAX_EXEC_FORKS}, and end when idle).
     */
    private final ManagedExecutor perNode = ManagedExecutor.builder().maxAsync(CommandValidator.MAX_EXEC_FORKS).maxQueued(-1)
            .propagated(ThreadContext.NONE).cleared(ThreadContext.ALL_REMAINING).build();

    @PreDestroy
    void shutdown() {
        perNode.shutdownNow();
    }

    public Outcome run(ProvisioningCommand command) {
        return switch (command.type()) {
            case LAUNCH -> launch(command);
            case DESTROY -> destroy(command);
            case STOP -> stop(command);
            case START -> start(command);
            case SCALE -> scale(command);
            case EXEC -> exec(command);
        };
    }

    private Outcome launch(ProvisioningCommand command) {
        int total = 0;
        for (GroupSpec group : command.groups()) {
            DriverContext context = new DriverContext(command.cluster(), command.commandId(), command.sshPublicKey(), identity.publicKey(), group.options());
            drivers.require(group.driver(), "driver").prepare(context, group.tag(), group.count(), Boolean.TRUE.equals(command.dryRun()));
            total += group.count();
        }
        if (Boolean.TRUE.equals(command.dryRun())) {
            if (find(command.cluster()).isPresent()) {
                throw DriverException.failed("cluster '" + command.cluster() + "' exists already");
            }
            return plan(command, total);
        }
        List<GroupRecord> groups = command.groups().stream()
                .map(g -> new GroupRecord(command.cluster(), g.tag(), g.driver(), g.options(), g.count())).toList();
        ClusterRecord wanted = ClusterRecord.wanted(command.cluster(), command.sshPublicKey(), command.commandId(), groups, command.ttl());
        Duration ttl = command.ttl() == null ? null : TimeToLive.parse(command.ttl(), "ttl", config.ttl().max());
        if (!Sessions.awaitTransaction(() -> clusters.create(wanted, ttl))) {
            ClusterRecord existing = find(command.cluster()).orElseThrow(() -> DriverException.failed("cluster vanished during launch"));
            if (!existing.launchCommandId().equals(command.commandId())) {
                throw DriverException.failed("cluster '" + command.cluster() + "' exists already (launched by command " + existing.launchCommandId() + ")");
            }
            // Same command again: a resumed launch, carry on with what is not running yet.
        }
        ClusterRecord cluster = requireCluster(command.cluster());
        List<GroupOutcome> outcomes = new ArrayList<>();
        for (GroupRecord group : cluster.groups()) {
            int minCount = command.groups().stream().filter(g -> g.tag().equals(group.tag())).findFirst().map(GroupSpec::required).orElse(group.count());
            outcomes.add(bringUp(command, cluster, group, nodesOf(cluster.name(), group.tag()), minCount));
        }
        int running = outcomes.stream().mapToInt(GroupOutcome::running).sum();
        String shortfalls = outcomes.stream().filter(o -> o.shortfall() != null)
                .map(o -> "group " + o.tag() + " has " + o.running() + " of " + o.wanted() + " (minCount " + o.minCount() + "): " + o.shortfall())
                .collect(java.util.stream.Collectors.joining("; "));
        return new Outcome(running == total ? "launched " + total + " nodes" : "launched " + running + " of " + total + " nodes; " + shortfalls,
                Map.of("groups", outcomes));
    }

    /**
     * A dry run's answer: per group, the calls its driver would make and what the nodes would cost per hour; for the
     * cluster, the cost per hour and over its ttl. A price nobody knows is left out and said so, never guessed.
     */
    private Outcome plan(ProvisioningCommand command, int total) {
        List<Map<String, Object>> groups = new ArrayList<>();
        BigDecimal perHour = BigDecimal.ZERO;
        List<String> unpriced = new ArrayList<>();
        for (GroupSpec group : command.groups()) {
            DriverContext context = new DriverContext(command.cluster(), command.commandId(), command.sshPublicKey(), identity.publicKey(), group.options());
            DriverPlan plan = drivers.require(group.driver(), "driver").plan(context, group.tag(), group.count());
            Optional<PriceTable.Price> price = plan.free() ? Optional.of(new PriceTable.Price(BigDecimal.ZERO, "runs on this host"))
                    : prices.perHour(plan.instanceType());
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("tag", group.tag());
            entry.put("driver", group.driver());
            entry.put("count", group.count());
            entry.put("minCount", group.required());
            entry.put("instanceType", plan.instanceType());
            entry.put("pricePerHour", price.map(PriceTable.Price::perHour).orElse(null));
            entry.put("costPerHour", price.map(p -> p.perHour().multiply(BigDecimal.valueOf(group.count()))).orElse(null));
            entry.put("priceSource", price.map(PriceTable.Price::source).orElse("unknown: set provisioner.instance-prices"));
            entry.put("calls", plan.calls());
            groups.add(entry);
            if (price.isPresent()) {
                perHour = perHour.add(price.get().perHour().multiply(BigDecimal.valueOf(group.count())));
            } else {
                unpriced.add(group.tag());
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("dryRun", true);
        result.put("nodes", total);
        result.put("currency", "USD");
        result.put("costPerHour", unpriced.isEmpty() ? perHour : null);
        result.put("unpriced", unpriced);
        String cost = unpriced.isEmpty() ? "$" + perHour.setScale(4, RoundingMode.HALF_UP).toPlainString() + " per hour"
                : "cost unknown for group(s) " + String.join(", ", unpriced);
        if (command.ttl() != null) {
            Duration ttl = TimeToLive.parse(command.ttl(), "ttl", config.ttl().max());
            result.put("ttl", command.ttl());
            if (unpriced.isEmpty()) {
                BigDecimal overTtl = perHour.multiply(BigDecimal.valueOf(ttl.toSeconds())).divide(BigDecimal.valueOf(3600), 4, RoundingMode.HALF_UP);
                result.put("costOverTtl", overTtl);
                cost += ", $" + overTtl.toPlainString() + " over its ttl of " + command.ttl();
            }
        }
        result.put("groups", groups);
        return new Outcome("dry run: would launch " + total + " nodes in " + command.groups().size() + " groups, " + cost
                + "; nothing was created", result);
    }

    private Outcome start(ProvisioningCommand command) {
        ClusterRecord cluster = requireCluster(command.cluster());
        int count = 0;
        for (GroupRecord group : cluster.groups()) {
            List<NodeRecord> nodes = nodesOf(cluster.name(), group.tag());
            bringUp(command, cluster, group, nodes, nodes.size());
            count += nodes.size();
        }
        return new Outcome("started " + count + " nodes", null);
    }

    private Outcome stop(ProvisioningCommand command) {
        ClusterRecord cluster = requireCluster(command.cluster());
        int count = 0;
        for (GroupRecord group : cluster.groups()) {
            List<NodeRecord> nodes = nodesOf(cluster.name(), group.tag());
            driver(group).stop(context(cluster, group), group.tag(), slots(nodes));
            for (NodeRecord node : nodes) {
                NodeRecord stopped = node.with(NodeStatus.stopped);
                Sessions.awaitTransaction(() -> clusters.save(stopped)
                        .chain(() -> events.record(command, ProvisioningEvent.Type.NODE_STOPPED, stopped.toEventNode(group.driver()), null)));
            }
            count += nodes.size();
        }
        return new Outcome("stopped " + count + " nodes", null);
    }

    private Outcome destroy(ProvisioningCommand command) {
        ClusterRecord cluster = requireCluster(command.cluster());
        int count = 0;
        Set<String> usedDrivers = new LinkedHashSet<>();
        for (GroupRecord group : cluster.groups()) {
            List<NodeRecord> nodes = nodesOf(cluster.name(), group.tag());
            terminate(command, cluster, group, nodes);
            usedDrivers.add(group.driver());
            count += nodes.size();
        }
        // Instances first, then what the drivers prepared for the cluster (security groups, key pairs...).
        for (String name : usedDrivers) {
            drivers.require(name, "driver").cleanUp(new DriverContext(cluster.name(), cluster.launchCommandId(), cluster.sshPublicKey(), identity.publicKey(), Map.of()));
        }
        Sessions.awaitTransaction(() -> clusters.deleteCluster(cluster.name()));
        return new Outcome("destroyed " + count + " nodes", null);
    }

    private Outcome scale(ProvisioningCommand command) {
        ClusterRecord cluster = requireCluster(command.cluster());
        GroupRecord group = cluster.groups().stream().filter(g -> g.tag().equals(command.tag())).findFirst()
                .orElseThrow(() -> DriverException.failed("cluster '" + cluster.name() + "' has no group '" + command.tag() + "'"));
        int count = command.count();
        List<NodeRecord> nodes = nodesOf(cluster.name(), group.tag());
        List<NodeRecord> surplus = nodes.stream().filter(n -> n.index() >= count).toList();
        if (!surplus.isEmpty()) {
            terminate(command, cluster, group, surplus);
        }
        Sessions.awaitTransaction(() -> clusters.setCount(cluster.name(), group.tag(), count));
        bringUp(command, cluster, group, nodesOf(cluster.name(), group.tag()), count);
        return new Outcome("group '" + group.tag() + "' has " + count + " nodes", null);
    }

    private Outcome exec(ProvisioningCommand command) {
        List<NodeRecord> targets = targets(command.cluster(), command.tag(), command.index());
        Duration timeout = Duration.ofSeconds(command.timeoutSeconds() == null ? config.defaultExecTimeoutSeconds() : command.timeoutSeconds());
        List<ExecResult> results = onNodes(targets, command.forks(), node -> execOn(node, command.command(), null, timeout),
                result -> execStreams.deliver(command.commandId(), result));
        long ok = results.stream().filter(r -> Integer.valueOf(0).equals(r.exitCode())).count();
        return new Outcome("ran on " + results.size() + " nodes, " + ok + " exited 0", Map.of("results", results));
    }

    /**
     * Writes {@code content} to {@code path} on the nodes of {@code tag} (null: all; {@code index} one of them) with
     * file mode {@code mode}, creating its directory, on at most {@code forks} nodes at once: flintrock's copy-file,
     * through the service's own SSH identity and each node's recorded host key. One result per node: exit 0 when written.
     */
    public List<ExecResult> copy(String cluster, String tag, Integer index, byte[] content, String path, String mode, Integer forks) {
        List<NodeRecord> targets = targets(cluster, tag, index);
        String quoted = "'" + path.replace("'", "'\\''") + "'";
        String write = "f=" + quoted + "; umask 077; mkdir -p -- \"$(dirname -- \"$f\")\" && cat > \"$f\" && chmod " + mode + " -- \"$f\"";
        Duration timeout = Duration.ofSeconds(config.defaultExecTimeoutSeconds());
        return onNodes(targets, forks, node -> execOn(node, write, content, timeout), result -> { });
    }

    private List<NodeRecord> targets(String clusterName, String tag, Integer index) {
        ClusterRecord cluster = requireCluster(clusterName);
        List<NodeRecord> targets = nodesOf(cluster.name(), tag).stream().filter(n -> index == null || n.index() == index).toList();
        if (targets.isEmpty()) {
            throw DriverException.failed("no node of cluster '" + cluster.name() + "' matches"
                    + (tag == null ? "" : " tag '" + tag + "'") + (index == null ? "" : " index " + index));
        }
        return targets;
    }

    /**
     * Runs {@code work} on every target, at most {@code forks} (null: the default) at once: that many lanes, each taking
     * the next node when its last one has answered; {@code each} hears every result as it comes. Results in node order.
     */
    private List<ExecResult> onNodes(List<NodeRecord> targets, Integer forks, Function<NodeRecord, ExecResult> work, Consumer<ExecResult> each) {
        int lanes = Math.min(forks == null ? CommandValidator.DEFAULT_EXEC_FORKS : forks, targets.size());
        Queue<NodeRecord> waiting = new ConcurrentLinkedQueue<>(targets);
        Map<String, ExecResult> done = new ConcurrentHashMap<>();
        IntStream.range(0, lanes).mapToObj(lane -> CompletableFuture.runAsync(() -> {
            for (NodeRecord node = waiting.poll(); node != null; node = waiting.poll()) {
                ExecResult result = work.apply(node);
                done.put(node.tag() + "/" + node.index(), result);
                each.accept(result);
            }
        }, perNode)).toList().forEach(ClusterOperations::join);
        return targets.stream().map(node -> done.get(node.tag() + "/" + node.index())).toList();
    }

    private ExecResult execOn(NodeRecord node, String command, byte[] input, Duration timeout) {
        if (node.status() != NodeStatus.running) {
            return new ExecResult(node.tag(), node.index(), null, "", "", false, "node is " + node.status());
        }
        ExecOutcome outcome = ssh.exec(target(node), command, input, timeout);
        return new ExecResult(node.tag(), node.index(), outcome.exitCode(), outcome.stdout(), outcome.stderr(), outcome.timedOut(), outcome.error());
    }

    /**
     * Brings back the nodes recorded as running, e.g. local nodes after a restart of the service: {@code start} is
     * idempotent, the host key must be the recorded one, and the node must answer SSH again. Returns how many.
     */
    public int revive(ClusterRecord cluster) {
        int revived = 0;
        for (GroupRecord group : cluster.groups()) {
            List<NodeRecord> running = nodesOf(cluster.name(), group.tag()).stream()
                    .filter(n -> n.status() == NodeStatus.running).toList();
            if (running.isEmpty()) {
                continue;
            }
            for (DriverNode up : driver(group).start(context(cluster, group), group.tag(), slots(running))) {
                NodeRecord before = running.stream().filter(n -> n.index() == up.index()).findFirst().orElseThrow();
                if (before.hostKey() != null && !SshKeys.same(SshKeys.parse(before.hostKey()), SshKeys.parse(up.hostKey()))) {
                    throw DriverException.failed("host key of node " + up.tag() + "/" + up.index() + " changed; refusing to trust it");
                }
                NodeRecord back = new NodeRecord(cluster.name(), up.tag(), up.index(), up.providerId(), up.address(), up.username(), up.port(),
                        NodeStatus.running, before.hostKey() == null ? up.hostKey() : before.hostKey());
                NodeRecord answering = awaitSsh(back);
                Sessions.awaitTransaction(() -> clusters.save(answering));
                revived++;
            }
        }
        return revived;
    }

    /**
     * Makes the nodes run (idempotent), records them with their host keys, and waits until each answers SSH and its
     * driver's ready command succeeds. When the driver had capacity for only some, those it could not place leave the
     * group (announced as terminated, with the reason) and the group's count shrinks to what runs; fewer than
     * {@code minCount} fails the command, keeping the nodes that run.
     */
    private GroupOutcome bringUp(ProvisioningCommand command, ClusterRecord cluster, GroupRecord group, List<NodeRecord> nodes, int minCount) {
        if (nodes.isEmpty()) {
            return new GroupOutcome(group.tag(), 0, minCount, 0, List.of(), null);
        }
        ClusterDriver driver = driver(group);
        DriverContext context = context(cluster, group);
        List<NodeRecord> notRunning = nodes.stream().filter(node -> node.status() != NodeStatus.running).toList();
        if (!notRunning.isEmpty()) {
            Sessions.awaitTransaction(() -> Multi.createFrom().iterable(notRunning)
                    .onItem().transformToUniAndConcatenate(node ->
                            events.record(command, ProvisioningEvent.Type.NODE_PENDING, node.with(NodeStatus.pending).toEventNode(group.driver()), null))
                    .collect().asList());
        }
        Started started = driver.start(context, group.tag(), slots(nodes), minCount);
        Optional<String> readyCommand = driver.readyCommand(context);
        /** A node coming up, and whether it ran before (then neither the ready command nor NODE_RUNNING again). */
        record Coming(CompletableFuture<NodeRecord> ready, boolean wasRunning) {
        }
        List<Coming> ready = new ArrayList<>();
        for (DriverNode up : started.nodes()) {
            NodeRecord before = nodes.stream().filter(n -> n.index() == up.index()).findFirst()
                    .orElseThrow(() -> DriverException.failed("driver returned unknown node " + up.tag() + "/" + up.index()));
            if (before.hostKey() != null && !SshKeys.same(SshKeys.parse(before.hostKey()), SshKeys.parse(up.hostKey()))) {
                throw DriverException.failed("host key of node " + up.tag() + "/" + up.index() + " changed; refusing to trust it");
            }
            NodeRecord recorded = new NodeRecord(cluster.name(), up.tag(), up.index(), up.providerId(), up.address(), up.username(), up.port(),
                    NodeStatus.pending, up.hostKey());
            Sessions.awaitTransaction(() -> clusters.save(recorded));
            boolean wasRunning = before.status() == NodeStatus.running;
            ready.add(new Coming(CompletableFuture.supplyAsync(() -> awaitReady(awaitSsh(recorded), wasRunning ? Optional.empty() : readyCommand), perNode),
                    wasRunning));
        }
        for (Coming coming : ready) {
            NodeRecord running = join(coming.ready()).with(NodeStatus.running);
            // The state and its announcement commit together: a replica dying before leaves both for the resumed command.
            Sessions.awaitTransaction(() -> (coming.wasRunning() ? Uni.createFrom().voidItem()
                    : events.record(command, ProvisioningEvent.Type.NODE_RUNNING, running.toEventNode(group.driver()), null).replaceWithVoid())
                    .chain(() -> clusters.save(running)));
        }
        Set<Integer> placed = new java.util.HashSet<>(started.nodes().stream().map(DriverNode::index).toList());
        List<NodeRecord> unplaced = nodes.stream().filter(n -> !placed.contains(n.index())).toList();
        if (!unplaced.isEmpty()) {
            String reason = started.shortfall() == null ? "the driver did not start it" : started.shortfall();
            int remaining = nodes.size() - unplaced.size();
            // The driver leaves out the highest indexes, so the group stays 0..remaining-1.
            Sessions.awaitTransaction(() -> Multi.createFrom().iterable(unplaced)
                    .onItem().transformToUniAndConcatenate(node -> clusters.deleteNode(cluster.name(), node.tag(), node.index())
                            .chain(() -> events.record(command, ProvisioningEvent.Type.NODE_TERMINATED,
                                    node.with(NodeStatus.terminated).toEventNode(group.driver()), "not placed: " + reason)))
                    .collect().asList()
                    .chain(() -> clusters.setCount(cluster.name(), group.tag(), remaining)));
            if (remaining < minCount) {
                throw DriverException.failed("group " + group.tag() + " needs " + minCount + " nodes (minCount) but " + reason
                        + "; the " + remaining + " that run are kept: scale the group when there is capacity, or destroy the cluster");
            }
        }
        return new GroupOutcome(group.tag(), nodes.size(), minCount, started.nodes().size(), started.placements(), started.shortfall());
    }

    /** Runs the driver's ready command on a node that answers SSH; a node whose command fails never counts as running. */
    private NodeRecord awaitReady(NodeRecord node, Optional<String> readyCommand) {
        if (readyCommand.isEmpty()) {
            return node;
        }
        ExecOutcome outcome = ssh.exec(target(node), readyCommand.get(), null, config.readyCommandTimeout());
        if (!Integer.valueOf(0).equals(outcome.exitCode())) {
            String said = (outcome.stdout() + " " + outcome.stderr()).strip();
            throw DriverException.failed("node " + node.tag() + "/" + node.index() + " is not ready: `" + readyCommand.get() + "` "
                    + (outcome.timedOut() ? "did not finish within " + config.readyCommandTimeout().toSeconds() + " s"
                    : outcome.exitCode() == null ? "failed: " + outcome.error() : "exited " + outcome.exitCode())
                    + (said.isEmpty() ? "" : ": " + (said.length() > 300 ? said.substring(0, 300) + "…" : said)));
        }
        return node;
    }

    private NodeRecord awaitSsh(NodeRecord node) {
        long deadline = System.nanoTime() + config.sshReadyTimeout().toNanos();
        IOException last = null;
        do {
            try {
                ssh.probe(target(node));
                return node;
            } catch (IOException e) {
                last = e;
                try {
                    Thread.sleep(200);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        } while (System.nanoTime() < deadline);
        throw DriverException.failed("node " + node.tag() + "/" + node.index() + " does not answer SSH: " + (last == null ? "interrupted" : Failures.reason(last)));
    }

    private void terminate(ProvisioningCommand command, ClusterRecord cluster, GroupRecord group, List<NodeRecord> nodes) {
        driver(group).destroy(context(cluster, group), group.tag(), slots(nodes));
        for (NodeRecord node : nodes) {
            Sessions.awaitTransaction(() -> clusters.deleteNode(cluster.name(), node.tag(), node.index())
                    .chain(() -> events.record(command, ProvisioningEvent.Type.NODE_TERMINATED,
                            node.with(NodeStatus.terminated).toEventNode(group.driver()), null)));
        }
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    private ClusterRecord requireCluster(String name) {
        return find(name).orElseThrow(() -> DriverException.failed("cluster '" + name + "' does not exist"));
    }

    private java.util.Optional<ClusterRecord> find(String name) {
        return Sessions.awaitSession(() -> clusters.findCluster(name));
    }

    private List<NodeRecord> nodesOf(String cluster, String tag) {
        return Sessions.awaitSession(() -> clusters.nodes(cluster, tag));
    }

    private ClusterDriver driver(GroupRecord group) {
        return drivers.require(group.driver(), "driver");
    }

    private DriverContext context(ClusterRecord cluster, GroupRecord group) {
        return new DriverContext(cluster.name(), cluster.launchCommandId(), cluster.sshPublicKey(), identity.publicKey(), group.options());
    }

    private static List<NodeSlot> slots(List<NodeRecord> nodes) {
        return nodes.stream().map(n -> new NodeSlot(n.index(), n.providerId())).toList();
    }

    static SshTarget target(NodeRecord node) {
        return new SshTarget(node.address(), node.port() == null ? 22 : node.port(), node.username(), node.hostKey());
    }

    static String json(Object value) {
        return value == null ? null : EventCodec.encodeToString(value);
    }
}
