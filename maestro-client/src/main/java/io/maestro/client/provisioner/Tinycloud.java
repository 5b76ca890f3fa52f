package io.maestro.client.provisioner;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.client.http.ClientBuilder;
import io.maestro.client.http.MaestroApiException;
import io.maestro.client.http.ServiceHttp;
import io.maestro.client.http.SseEvent;
import io.maestro.client.http.SseReader;
import io.maestro.events.EventCodec;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * tinycloud's API over the provisioner-service: one cluster, its groups of nodes and their drivers; launch, list,
 * login, execute, destroy. A launch or destroy is a command the provisioner runs: this client follows its progress
 * (told to {@code onProgress}) until it ends, and sends each with its own command id, so the provisioner runs a
 * retried one once.
 *
 * <pre>{@code
 * Tinycloud cloud = Tinycloud.builder(URI.create("http://127.0.0.1:8084"), "voltron").token(token)
 *         .group("master", 1, Driver.local()).group("worker", 4, Driver.local()).build();
 * cloud.launch();
 * cloud.execute("uptime").forEach(r -> System.out.println(r.tag() + "-" + r.index() + ": " + r.stdout()));
 * cloud.destroy();
 * }</pre>
 */
public final class Tinycloud {
    private final ServiceHttp http;
    private final String cluster;
    private final List<Map<String, Object>> groups;
    private final String sshPublicKey;
    private final String ttl;
    private final Consumer<Progress> onProgress;
    private final Duration requestTimeout;

    private Tinycloud(Builder b, ServiceHttp http) {
        this.http = http;
        this.cluster = b.cluster;
        this.groups = List.copyOf(b.groups);
        this.sshPublicKey = b.sshPublicKey;
        this.ttl = b.ttl;
        this.requestTimeout = b.requestTimeout;
        this.onProgress = b.onProgress;
    }

    /** A client of cluster {@code cluster} (a name) on the provisioner at {@code provisioner}. */
    public static Builder builder(URI provisioner, String cluster) {
        return new Builder(provisioner, cluster);
    }

    public String cluster() {
        return cluster;
    }

    /**
     * Launches the cluster's groups and waits until every node runs (at least each group's {@code minCount}), or the
     * launch failed; the nodes a failed launch started are left for {@link #destroy()}.
     */
    public CommandOutcome launch() {
        return launch(false);
    }

    /** With {@code dryRun}, the provisioner checks everything and creates nothing. */
    public CommandOutcome launch(boolean dryRun) {
        return follow(submitLaunch(dryRun));
    }

    /**
     * A dry run's plan: nothing is created; the provisioner checks everything, then answers the calls each group's
     * driver would make and what the nodes would cost. A launch the provisioner refuses is a {@link MaestroApiException}.
     */
    public LaunchPlan plan() {
        String commandId = submitLaunch(true);
        CommandOutcome outcome = follow(commandId);
        if (!outcome.succeeded()) {
            throw new MaestroApiException(422, "Unprocessable", outcome.message(), List.of(), http.service() + ": " + outcome.message(), null);
        }
        JsonNode result = http.get("v1/commands/" + ServiceHttp.segment(commandId)).path("result");
        if (!(result instanceof com.fasterxml.jackson.databind.node.ObjectNode stored)) {
            throw new MaestroApiException(http.service() + ": dry run " + commandId + " answered no plan (an older provisioner?)", null);
        }
        return http.read(stored.deepCopy().put("commandId", commandId).put("message", outcome.message()), LaunchPlan.class);
    }

    /**
     * Hands the launch to the provisioner and answers its command id at once, without waiting (a page that shows the
     * progress elsewhere); {@link #follow(String)} waits for it.
     */
    public String submitLaunch(boolean dryRun) {
        if (groups.isEmpty()) {
            throw new IllegalStateException("no group to launch: add one with Builder.group(tag, count, driver)");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", cluster);
        body.put("groups", groups);
        if (sshPublicKey != null) {
            body.put("sshPublicKey", sshPublicKey);
        }
        if (ttl != null) {
            body.put("ttl", ttl);
        }
        body.put("dryRun", dryRun);
        body.put("commandId", UUID.randomUUID().toString());
        return http.post("v1/clusters", body).path("commandId").asText();
    }

    public CompletableFuture<CommandOutcome> launchAsync() {
        return CompletableFuture.supplyAsync(this::launch);
    }

    /** Terminates every node and removes the cluster; waits until done. */
    public CommandOutcome destroy() {
        return follow(submitDestroy());
    }

    /** Hands the destruction to the provisioner and answers its command id at once, without waiting. */
    public String submitDestroy() {
        return http.delete("v1/clusters/" + ServiceHttp.segment(cluster) + "?commandId=" + UUID.randomUUID()).path("commandId").asText();
    }

    /** The cluster as the provisioner has it: its groups and every node with its status. */
    public Cluster describe() {
        return http.read(http.get("v1/clusters/" + ServiceHttp.segment(cluster)), Cluster.class);
    }

    /**
     * Makes the cluster expire {@code ttl} from now ({@code 30m}, {@code 8h}, {@code 1h30m}), whatever it was launched
     * with; refused (409) once its ttl ran out and the provisioner is destroying it.
     */
    public Expiry extendTtl(String ttl) {
        return http.read(http.put("v1/clusters/" + ServiceHttp.segment(cluster) + "/ttl", Map.of("ttl", ttl)), Expiry.class);
    }

    /** The cluster no longer expires: it lives until destroyed. */
    public Expiry removeTtl() {
        return http.read(http.delete("v1/clusters/" + ServiceHttp.segment(cluster) + "/ttl"), Expiry.class);
    }

    public CompletableFuture<CommandOutcome> destroyAsync() {
        return CompletableFuture.supplyAsync(this::destroy);
    }

    /** Stops every node (they keep their disks); waits until done. */
    public CommandOutcome stop() {
        return follow(http.post("v1/clusters/" + ServiceHttp.segment(cluster) + "/stop?commandId=" + UUID.randomUUID(), Map.of())
                .path("commandId").asText());
    }

    /** Starts the stopped nodes again; waits until they run. */
    public CommandOutcome start() {
        return follow(http.post("v1/clusters/" + ServiceHttp.segment(cluster) + "/start?commandId=" + UUID.randomUUID(), Map.of())
                .path("commandId").asText());
    }

    /** Sets the number of nodes of group {@code tag}: new ones are launched, the highest indexes terminated. */
    public CommandOutcome scale(String tag, int count) {
        return follow(http.put("v1/clusters/" + ServiceHttp.segment(cluster) + "/groups/" + ServiceHttp.segment(tag) + "/count",
                Map.of("count", count, "commandId", UUID.randomUUID().toString())).path("commandId").asText());
    }

    /** Every node of the cluster. */
    public List<Node> list() {
        return list(null);
    }

    /** The nodes of group {@code tag} (null: all). */
    public List<Node> list(String tag) {
        return http.readList(http.get("v1/clusters/" + ServiceHttp.segment(cluster) + "/nodes" + (tag == null ? "" : "?tag=" + ServiceHttp.segment(tag))),
                Node.class);
    }

    /** The ssh command line that logs in to node {@code index} of group {@code tag} (with the key given at launch). */
    public String login(String tag, int index) {
        return loginDetails(tag, index).command();
    }

    /** The ssh command line and its parts, with the node's host key to verify it by. */
    public Login loginDetails(String tag, int index) {
        return http.read(http.get("v1/clusters/" + ServiceHttp.segment(cluster) + "/nodes/" + ServiceHttp.segment(tag) + "/" + index + "/login"),
                Login.class);
    }

    /** Runs {@code command} on every node; one result per node, each with its exit code and output. */
    public List<ExecResult> execute(String command) {
        return exec(null, null, command);
    }

    /** Runs {@code command} on the nodes of group {@code tag}. */
    public List<ExecResult> execute(String tag, String command) {
        return exec(tag, null, command);
    }

    /** Runs {@code command} on node {@code index} of group {@code tag}. */
    public List<ExecResult> execute(String tag, int index, String command) {
        return exec(tag, index, command);
    }

    public CompletableFuture<List<ExecResult>> executeAsync(String command) {
        return CompletableFuture.supplyAsync(() -> execute(command));
    }

    /**
     * Runs {@code command} on node {@code index} of group {@code tag} (either null: all of them), each node given at
     * most {@code timeout} (null: the provisioner's default); the request waits that long, so the builder's
     * {@link Builder#requestTimeout} must be longer.
     */
    public List<ExecResult> execute(String tag, Integer index, String command, Duration timeout) {
        return exec(tag, index, command, timeout);
    }

    /**
     * Runs {@code command} on node {@code index} of group {@code tag} (either null: all of them), on at most
     * {@code forks} nodes at once (null: the provisioner's default, 32), telling {@code onEach} each node's result as
     * that node answers, on the calling thread; answers every result, in node order. The command failing as a whole
     * (no node matches) is a {@link MaestroApiException} with status 422.
     */
    public List<ExecResult> execute(String tag, Integer index, String command, Duration timeout, Integer forks, Consumer<ExecResult> onEach) {
        Map<String, Object> body = execBody(tag, index, command, timeout, forks);
        String path = "v1/clusters/" + ServiceHttp.segment(cluster) + "/exec/stream";
        List<ExecResult> results = new ArrayList<>();
        try (InputStream stream = http.postForEvents(path, body, requestTimeout)) {
            SseReader events = new SseReader(stream);
            for (SseEvent event = events.next(); event != null; event = events.next()) {
                switch (event.event() == null ? "" : event.event()) {
                    case "result" -> {
                        ExecResult result = EventCodec.mapper().readValue(event.data(), ExecResult.class);
                        results.add(result);
                        onEach.accept(result);
                    }
                    case "done" -> {
                        results.sort(java.util.Comparator.comparing(ExecResult::tag).thenComparing(ExecResult::index));
                        return results;
                    }
                    case "failed" -> {
                        String reason = EventCodec.mapper().readTree(event.data()).path("message").asText();
                        throw new MaestroApiException(422, "Unprocessable", reason, List.of(), http.service() + ": " + reason, null);
                    }
                    default -> {
                        // comments and events a newer provisioner may add
                    }
                }
            }
            throw new MaestroApiException(http.service() + ": the exec's stream ended before it did (command " + body.get("commandId")
                    + "; see /v1/commands/" + body.get("commandId") + ")", null);
        } catch (IOException e) {
            throw http.unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MaestroApiException("interrupted while running " + body.get("commandId"), e);
        }
    }

    /**
     * Writes {@code content} to {@code remotePath} on node {@code index} of group {@code tag} (either null: all of
     * them), with file mode {@code mode} (null: 0644), on at most {@code forks} nodes at once (null: 32): flintrock's
     * copy-file. One result per node; exit code 0 means written. A relative path is under the node user's home.
     */
    public List<ExecResult> copy(String tag, Integer index, byte[] content, String remotePath, String mode, Integer forks) {
        StringBuilder path = new StringBuilder("v1/clusters/" + ServiceHttp.segment(cluster) + "/files?path=" + query(remotePath));
        if (tag != null) {
            path.append("&tag=").append(query(tag));
        }
        if (index != null) {
            path.append("&index=").append(index);
        }
        if (mode != null) {
            path.append("&mode=").append(query(mode));
        }
        if (forks != null) {
            path.append("&forks=").append(forks);
        }
        return http.readList(http.putBytes(path.toString(), content).path("results"), ExecResult.class);
    }

    private static String query(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    private List<ExecResult> exec(String tag, Integer index, String command) {
        return exec(tag, index, command, null);
    }

    private List<ExecResult> exec(String tag, Integer index, String command, Duration timeout) {
        return http.readList(http.post("v1/clusters/" + ServiceHttp.segment(cluster) + "/exec", execBody(tag, index, command, timeout, null))
                .path("results"), ExecResult.class);
    }

    private static Map<String, Object> execBody(String tag, Integer index, String command, Duration timeout, Integer forks) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (timeout != null) {
            body.put("timeoutSeconds", Math.max(1, timeout.toSeconds()));
        }
        if (forks != null) {
            body.put("forks", forks);
        }
        if (tag != null) {
            body.put("tag", tag);
        }
        if (index != null) {
            body.put("index", index);
        }
        body.put("command", command);
        body.put("commandId", UUID.randomUUID().toString());
        return body;
    }

    /**
     * Follows command {@code commandId} (of this cluster, or any the token may read) until it ends, telling each step
     * to the builder's {@code onProgress}; then answers how it ended.
     */
    public CommandOutcome follow(String commandId) {
        String path = "v1/commands/" + ServiceHttp.segment(commandId);
        String lastEventId = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try (InputStream stream = http.openEvents(path + "/events", lastEventId, null)) {
                SseReader events = new SseReader(stream);
                for (SseEvent event = events.next(); event != null; event = events.next()) {
                    lastEventId = event.id() != null ? event.id() : lastEventId;
                    JsonNode step = EventCodec.mapper().readTree(event.data());
                    JsonNode node = step.path("node");
                    String type = step.path("type").asText();
                    boolean onNode = node.isObject();
                    onProgress.accept(new Progress(commandId, type, onNode ? node.path("tag").asText() : null,
                            onNode ? node.path("index").asInt() : null, onNode ? node.path("status").asText(null) : null,
                            onNode ? node.path("address").asText(null) : null, onNode && node.path("port").isInt() ? node.path("port").asInt() : null,
                            step.path("message").asText(null)));
                    if (type.equals("SUCCEEDED") || type.equals("FAILED")) {
                        return new CommandOutcome(commandId, type, step.path("message").asText(null));
                    }
                }
            } catch (IOException e) {
                // a dropped stream: resume after the last event seen
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MaestroApiException("interrupted while following command " + commandId, e);
            }
        }
        JsonNode recorded = http.get(path);
        return new CommandOutcome(commandId, recorded.path("status").asText(), recorded.path("message").asText(null));
    }



    public static final class Builder extends ClientBuilder<Builder> {
        private final URI provisioner;
        private final String cluster;
        private final List<Map<String, Object>> groups = new ArrayList<>();
        private String sshPublicKey;
        private String ttl;
        private Consumer<Progress> onProgress = progress -> { };
        private Duration requestTimeout = Duration.ofSeconds(60);

        private Builder(URI provisioner, String cluster) {
            this.provisioner = Objects.requireNonNull(provisioner, "provisioner");
            this.cluster = Objects.requireNonNull(cluster, "cluster");
        }

        /** A group of {@code count} nodes tagged {@code tag}, run by {@code driver}. */
        public Builder group(String tag, int count, Driver driver) {
            groups.add(Map.of("tag", tag, "count", count, "driver", driver.name(), "options", driver.options()));
            return this;
        }

        /**
         * A group of {@code count} nodes of which at least {@code minCount} must run: when the provider has no capacity
         * for the rest (EC2's InsufficientInstanceCapacity after every choice of instance type, subnet and market), the
         * launch succeeds with those that run, and the group keeps that many.
         */
        public Builder group(String tag, int count, int minCount, Driver driver) {
            groups.add(Map.of("tag", tag, "count", count, "minCount", minCount, "driver", driver.name(), "options", driver.options()));
            return this;
        }

        /** Your SSH public key ({@code ssh-ed25519 AAAA... you@host}): it may log in to every node. */
        public Builder sshPublicKey(String sshPublicKey) {
            this.sshPublicKey = sshPublicKey;
            return this;
        }

        /**
         * How long the cluster may live once launched ({@code 15s}, {@code 8h}, {@code 1h30m}, {@code 7d}): the provisioner
         * destroys it when that runs out, announcing {@code EXPIRING} first. {@link #extendTtl} changes it later.
         */
        public Builder ttl(String ttl) {
            this.ttl = ttl;
            return this;
        }

        /** Told of every step of a launch or destroy, on the calling thread. */
        public Builder onProgress(Consumer<Progress> onProgress) {
            this.onProgress = Objects.requireNonNull(onProgress, "onProgress");
            return this;
        }

        /** Of each request until its answer (an exec answers when every node has; default 60 s). */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
            return this;
        }

        public Tinycloud build() {
            return new Tinycloud(this, transport("provisioner-service", List.of(provisioner), requestTimeout));
        }
    }
}
