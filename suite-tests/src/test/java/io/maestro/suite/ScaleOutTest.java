package io.maestro.suite;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.events.EventCodec;
import io.maestro.events.InventoryMutation;
import io.maestro.events.LeadershipChanged;
import io.maestro.events.ProvisioningEvent;
import io.maestro.events.ServiceMembershipChanged;
import io.maestro.events.Topics;
import io.maestro.localstack.ServiceProcess;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.sun.net.httpserver.HttpServer;

import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import static io.maestro.suite.Fleet.attribute;
import static io.maestro.suite.Fleet.names;
import static io.maestro.suite.Fleet.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two replicas of every service against one stack: the work of the suite is done once, whichever replica is asked,
 * and a replica killed with -9 in the middle of it loses nothing and doubles nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(3)
class ScaleOutTest {
    static final Fleet FLEET = Fleet.get();
    /** Candidate id -> token of the candidates of group fleet-jobs. */
    static final Map<String, String> ELECTION_TOKENS = new LinkedHashMap<>();

    @Test
    @Order(1)
    void registryChangesArePublishedOncePerRevisionWhicheverReplicaTakesThem() {
        List<String> registries = urls("registry-service");
        for (int i = 0; i < 20; i++) {
            register(registries.get(i % 2), "fleet-web", "web-" + i);
        }
        awaitRevisionsExactlyOnce("fleet-web", 20);
    }

    @Test
    @Order(2)
    void electionHasOneLeaderPerGroupWhicheverReplicaIsAsked() {
        List<String> elections = urls("election-service");
        Map<String, String> tokens = ELECTION_TOKENS;
        for (int i = 0; i < 4; i++) {
            JsonNode joined = Fleet.post(elections.get(i % 2) + "/v1/groups/fleet-jobs/candidates",
                    Map.of("candidateId", "unit-" + i, "ttlMillis", 300_000)).body();
            tokens.put("unit-" + i, joined.get("token").asText());
        }
        String leader = leaderSeenByEveryReplica(elections, "fleet-jobs");
        assertThat(leader).isNotNull();
        // Asked through either replica, exactly one candidate is told it leads.
        int leaders = 0;
        for (var candidate : tokens.entrySet()) {
            for (String election : elections) {
                JsonNode beat = heartbeat(election, "fleet-jobs", candidate.getKey(), candidate.getValue());
                if (beat.get("leader").asBoolean()) {
                    assertThat(candidate.getKey()).isEqualTo(leader);
                    leaders++;
                }
            }
        }
        assertThat(leaders).isEqualTo(elections.size());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<LeadershipChanged> changes = FLEET.events(Topics.ELECTION_LEADERSHIP, "fleet-jobs", LeadershipChanged.class);
            assertThat(changes).hasSize(1);
            assertThat(changes.get(0).leader()).isEqualTo(leader);
            assertThat(changes.get(0).reason()).isEqualTo(LeadershipChanged.Reason.ELECTED);
        });
    }

    @Test
    @Order(3)
    void inventoryOutboxRowsArePublishedOnceWithTwoRelays() {
        List<String> inventories = urls("inventory-service");
        List<String> names = IntStream.range(0, 40).mapToObj(i -> String.format("fleet-rack-%02d", i)).toList();
        for (int i = 0; i < names.size(); i++) {
            assertThat(Fleet.post(inventories.get(i % 2) + "/v1/entities", Map.of("name", names.get(i), "type", "rack")).status())
                    .isEqualTo(201);
        }
        awaitCreatedExactlyOnce(names);
    }

    @Test
    @Order(4)
    void aLaunchSentToBothProvisionerReplicasRunsOnce() {
        List<String> provisioners = urls("provisioner-service");
        String commandId = "twice-" + UUID.randomUUID();
        Map<String, Object> launch = Map.of("name", "twins", "commandId", commandId,
                "groups", List.of(Map.of("tag", "web", "count", 2, "driver", "local")));
        for (String provisioner : provisioners) {
            Fleet.Reply accepted = Fleet.post(provisioner + "/v1/clusters", launch);
            assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
            assertThat(accepted.body().get("commandId").asText()).isEqualTo(commandId);
        }
        Fleet.awaitCommand(provisioners.get(1), commandId, "SUCCEEDED");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<ProvisioningEvent> events = FLEET.commandEvents(commandId);
            assertThat(events).filteredOn(e -> e.type() == ProvisioningEvent.Type.ACCEPTED).hasSize(1);
            assertThat(events).filteredOn(e -> e.type() == ProvisioningEvent.Type.NODE_RUNNING).hasSize(2);
            assertThat(events).filteredOn(e -> e.type() == ProvisioningEvent.Type.SUCCEEDED).hasSize(1);
        });
        assertThat(Fleet.get(provisioners.get(0) + "/v1/clusters/twins/nodes").body()).hasSize(2);
    }

    @Test
    @Order(5)
    void aStoppedReplicaIsAnnouncedAsDeregisteredAndIsBackWhenItStartsAgain() throws Exception {
        ServiceProcess replica = FLEET.replicas("election-service").get(1);
        String instanceId = instanceAt("maestro.election", replica.url());
        replica.stop();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(FLEET.events(Topics.REGISTRY_CHANGES, "maestro.election", ServiceMembershipChanged.class))
                        .anySatisfy(change -> {
                            assertThat(change.change().type()).isEqualTo(ServiceMembershipChanged.ChangeType.DEREGISTERED);
                            assertThat(change.change().instanceId()).isEqualTo(instanceId);
                        }));
        replica.start(Duration.ofSeconds(120));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(instanceAt("maestro.election", replica.url())).isNotNull().isNotEqualTo(instanceId));
    }

    @Test
    @Order(6)
    void aProvisionerReplicaKilledMidLaunchIsReplacedAndTheClusterComesUpOnce() {
        List<String> provisioners = urls("provisioner-service");
        Map<String, ServiceProcess> byInstance = new LinkedHashMap<>();
        FLEET.replicas("provisioner-service").forEach(replica -> byInstance.put(instanceAt("maestro.provisioner", replica.url()), replica));
        assertThat(byInstance).doesNotContainKey(null).hasSize(2);
        String commandId = "phoenix-" + UUID.randomUUID();
        int count = 16;
        Fleet.Reply accepted = Fleet.post(provisioners.get(0) + "/v1/clusters", Map.of("name", "phoenix", "commandId", commandId,
                "groups", List.of(Map.of("tag", "node", "count", count, "driver", "local"))));
        assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);

        // Find the replica running it (its runner is its registry instance) and kill it before it is done.
        String[] runner = new String[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> {
            JsonNode command = Fleet.get(provisioners.get(0) + "/v1/commands/" + commandId).body();
            assertThat(command.get("status").asText()).as("the launch finished before it could be interrupted")
                    .isIn("ACCEPTED", "RUNNING");
            runner[0] = command.path("runner").asText(null);
            return runner[0] != null;
        });
        ServiceProcess killed = byInstance.get(runner[0]);
        killed.kill();
        String survivor = provisioners.stream().filter(url -> !url.equals(killed.url())).findFirst().orElseThrow();

        JsonNode done = Fleet.awaitCommand(survivor, commandId, "SUCCEEDED");
        assertThat(done.get("runner").asText()).isNotEqualTo(runner[0]);
        JsonNode nodes = Fleet.get(survivor + "/v1/clusters/phoenix/nodes").body();
        assertThat(nodes).hasSize(count);
        nodes.forEach(node -> assertThat(node.get("status").asText()).isEqualTo("running"));
        // The nodes really run (on the survivor now): every one of them answers a command.
        JsonNode exec = Fleet.post(survivor + "/v1/clusters/phoenix/exec", Map.of("command", "echo up")).body();
        assertThat(exec.get("results")).as(exec.toString()).hasSize(count);
        exec.get("results").forEach(result -> assertThat(result.get("exitCode").asInt()).as(result.toString()).isZero());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<ProvisioningEvent> events = FLEET.commandEvents(commandId);
            assertThat(events).filteredOn(e -> e.type() == ProvisioningEvent.Type.SUCCEEDED).hasSize(1);
            assertThat(events).filteredOn(e -> e.type() == ProvisioningEvent.Type.NODE_RUNNING)
                    .extracting(e -> e.node().index()).containsAll(IntStream.range(0, count).boxed().toList());
        });
        String inventory = urls("inventory-service").get(0);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode servers = Fleet.get(inventory + "/v1/entities?limit=100&q=" + query("type:server and pool:phoenix")).body().get("items");
            assertThat(names(servers)).hasSize(count).doesNotHaveDuplicates();
            servers.forEach(server -> assertThat(attribute(server, "status")).isEqualTo("running"));
        });
        // The crash itself is announced: the killed replica's registration expires.
        awaitExpired("maestro.provisioner", runner[0]);
    }

    @Test
    @Order(7)
    void anInventoryReplicaKilledMidBurstLosesNoMutationAndDoublesNone() {
        List<ServiceProcess> replicas = FLEET.replicas("inventory-service");
        List<String> names = IntStream.range(0, 40).mapToObj(i -> String.format("burst-%02d", i)).toList();
        for (int i = 0; i < names.size(); i++) {
            if (i == 15) {
                replicas.get(0).kill();
            }
            createWithRetry(replicas, i % 2, names.get(i));
        }
        awaitCreatedExactlyOnce(names);
    }

    @Test
    @Order(8)
    void killingTheActiveRegistryRelayLosesNoRevisionAndDoublesNone() {
        ServiceProcess relay = activeReplica("registry-service", "activeRelay");
        String survivor = FLEET.replicas("registry-service").stream().filter(r -> r != relay).findFirst().orElseThrow().url();
        List<String> registries = urls("registry-service");
        for (int i = 0; i < 30; i++) {
            if (i == 10) {
                relay.kill();
            }
            register(i < 10 ? registries.get(i % 2) : survivor, "fleet-api", "api-" + i);
        }
        // The survivor takes the relay over once the dead one's lease ran out and sends again what that one had not
        // recorded (same eventIds): as an idempotent consumer sees them, revisions 1-30 once each, in order.
        awaitRevisionsExactlyOnce("fleet-api", 30);
    }

    @Test
    @Order(9)
    void killingTheActiveElectionRelayKeepsTheLeaderAndLosesNoLeadershipChange() {
        String leader = leaderSeenByEveryReplica(urls("election-service"), "fleet-jobs");
        ServiceProcess relay = activeReplica("election-service", "activeRelay");
        relay.kill();
        String survivor = urls("election-service").get(0);
        // Leases live in Redis, not in a replica: the leader is still the leader, and can resign through the survivor.
        assertThat(leaderSeenByEveryReplica(List.of(survivor), "fleet-jobs")).isEqualTo(leader);
        assertThat(Fleet.delete(survivor + "/v1/groups/fleet-jobs/candidates/" + leader,
                Map.of("X-Maestro-Token", ELECTION_TOKENS.get(leader))).status()).isEqualTo(204);
        String successor = leaderSeenByEveryReplica(List.of(survivor), "fleet-jobs");
        assertThat(successor).isNotNull().isNotEqualTo(leader);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            // As for the inventory: a batch in flight when its relay died may come again, with the same eventIds.
            List<LeadershipChanged> changes = FLEET.events(Topics.ELECTION_LEADERSHIP, "fleet-jobs", LeadershipChanged.class)
                    .stream().filter(distinctBy(LeadershipChanged::eventId)).toList();
            assertThat(changes.get(0).leader()).isEqualTo(leader);
            assertThat(changes).extracting(LeadershipChanged::reason).contains(LeadershipChanged.Reason.RESIGNED);
            assertThat(changes.get(changes.size() - 1).leader()).isEqualTo(successor);
            assertThat(changes).extracting(LeadershipChanged::fencingToken).isSorted();
        });
    }

    @Test
    @Order(10)
    void replicasStayRegisteredThroughTheOtherRegistryWhenTheFirstIsKilled() throws Exception {
        for (ServiceProcess registry : FLEET.replicas("registry-service")) {
            if (!registry.isAlive()) {
                registry.start(Duration.ofSeconds(120)); // the one killed above, so both are up again
            }
        }
        // Every replica lists both registries, the first first: killing it makes each fail over to the other.
        FLEET.replicas("registry-service").get(0).kill();
        List<String> survivors = urls("registry-service");
        assertThat(survivors).hasSize(1);
        String registry = survivors.get(0);
        // Over two TTLs (3 s) after their registry died, every live replica is still listed, at its URL.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> everyLiveReplicaIsListed(registry));
        await().during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(20)).untilAsserted(() -> everyLiveReplicaIsListed(registry));
    }

    /**
     * 1,000 health checks over the two registry replicas: each is probed once per interval, by one replica (its check
     * shard's holder in the election group of the replicas). When one replica is killed with -9, the other takes its
     * shards once their lease ran out and every check is probed again within the lease (5 s) plus one interval.
     */
    @Test
    @Order(11)
    void thousandChecksAreProbedOncePerIntervalAndMoveToTheSurvivorWhenAReplicaIsKilled() throws Exception {
        List<ServiceProcess> registries = FLEET.replicas("registry-service");
        for (ServiceProcess registry : registries) {
            if (!registry.isAlive()) {
                registry.start(Duration.ofSeconds(120));
            }
        }
        int instances = 500;
        long intervalMillis = 2000;
        Map<String, List<Long>> probes = new java.util.concurrent.ConcurrentHashMap<>();
        HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        target.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        target.createContext("/c/", exchange -> {
            probes.computeIfAbsent(exchange.getRequestURI().getPath(), p -> new java.util.concurrent.CopyOnWriteArrayList<>())
                    .add(System.nanoTime());
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        target.start();
        String base = "http://127.0.0.1:" + target.getAddress().getPort();
        Map<String, String> tokens = new LinkedHashMap<>();
        try {
            List<String> urls = urls("registry-service");
            for (int i = 0; i < instances; i++) {
                Fleet.Reply registered = Fleet.put(urls.get(i % 2) + "/v1/services/fleet-checked/instances/n-" + i,
                        Map.of("endpoint", base, "ttlSeconds", 600, "checks", List.of(
                                Map.of("http", base + "/c/" + i + "-a", "intervalSeconds", 2, "timeoutSeconds", 1),
                                Map.of("http", base + "/c/" + i + "-b", "intervalSeconds", 2, "timeoutSeconds", 1))), Map.of());
                assertThat(registered.status()).as(registered.text()).isEqualTo(201);
                tokens.put("n-" + i, registered.body().get("token").asText());
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> probes.size() == 2 * instances
                    && probes.values().stream().allMatch(hits -> hits.size() >= 2));
            await().atMost(Duration.ofSeconds(30)).until(() -> Fleet.get(urls.get(0) + "/v1/services/fleet-checked?healthy=true")
                    .body().get("instances").size() == instances);

            // Steady state: over 5 intervals, every check is probed 4 to 6 times and never twice within half an interval.
            Map<ServiceProcess, Double> probesBefore = new LinkedHashMap<>();
            Map<ServiceProcess, Duration> cpuBefore = new LinkedHashMap<>();
            for (ServiceProcess registry : registries) {
                probesBefore.put(registry, probeCount(registry));
                cpuBefore.put(registry, cpu(registry));
            }
            long windowStart = System.nanoTime();
            // a measurement window of 5 intervals, throughout which no check is probed twice within half an interval
            await().during(Duration.ofMillis(5 * intervalMillis)).atMost(Duration.ofMillis(5 * intervalMillis + 5000))
                    .until(() -> probes.values().stream().allMatch(hits -> minGapMillis(hits, windowStart, Long.MAX_VALUE) > intervalMillis / 2));
            long windowEnd = System.nanoTime();
            double seconds = (windowEnd - windowStart) / 1e9;
            StringBuilder figures = new StringBuilder();
            for (ServiceProcess registry : registries) {
                double perSecond = (probeCount(registry) - probesBefore.get(registry)) / seconds;
                double cpuShare = (cpu(registry).minus(cpuBefore.get(registry)).toNanos() / 1e9) / seconds;
                figures.append(String.format(Locale.ROOT, "%s: %.0f probes/s, %.1f%% of a core; ", registry.name(), perSecond, cpuShare * 100));
                assertThat(perSecond).as("each replica probes some of the checks").isGreaterThan(100);
            }
            System.out.println("[health checks] 1,000 checks every 2 s over two replicas: " + figures);
            for (var entry : probes.entrySet()) {
                List<Long> inWindow = entry.getValue().stream().filter(t -> t >= windowStart && t < windowEnd).toList();
                assertThat(inWindow).as("probes of %s in 5 intervals", entry.getKey()).hasSizeBetween(4, 6);
                assertThat(minGapMillis(entry.getValue(), windowStart, windowEnd)).as("gap between probes of %s", entry.getKey())
                        .isGreaterThan(intervalMillis / 2);
            }

            // kill -9 one replica: its shards move to the survivor within the lease and every check is probed again.
            ServiceProcess killed = registries.get(0);
            killed.kill();
            long killedAt = System.nanoTime();
            Duration lease = Duration.ofSeconds(5);
            await().atMost(Duration.ofSeconds(30)).until(() -> probes.values().stream().allMatch(hits -> hits.get(hits.size() - 1) > killedAt
                    && hits.stream().filter(t -> t > killedAt).count() >= 2));
            List<Long> gaps = new ArrayList<>();
            List<Long> sinceKill = new ArrayList<>();
            for (List<Long> hits : probes.values()) {
                long firstAfter = hits.stream().filter(t -> t > killedAt).findFirst().orElseThrow();
                long lastBefore = hits.stream().filter(t -> t <= killedAt).reduce((a, b) -> b).orElse(killedAt);
                gaps.add((firstAfter - lastBefore) / 1_000_000);
                sinceKill.add((firstAfter - killedAt) / 1_000_000);
            }
            gaps.sort(null);
            sinceKill.sort(null);
            System.out.printf(Locale.ROOT, "[health checks] after kill -9 of %s: every check was probed again within %d ms of the kill "
                    + "(median %d ms; lease %d ms + interval %d ms); the longest a check went unprobed was %d ms (median %d ms)%n",
                    killed.name(), sinceKill.get(sinceKill.size() - 1), sinceKill.get(sinceKill.size() / 2), lease.toMillis(),
                    intervalMillis, gaps.get(gaps.size() - 1), gaps.get(gaps.size() / 2));
            assertThat(sinceKill.get(sinceKill.size() - 1)).as("time from the kill until every check was probed again")
                    .isLessThanOrEqualTo(lease.toMillis() + intervalMillis + 1000);
            // and the survivor alone probes each once per interval, not twice
            long since = System.nanoTime();
            await().during(Duration.ofMillis(3 * intervalMillis)).atMost(Duration.ofMillis(3 * intervalMillis + 5000))
                    .until(() -> probes.values().stream().allMatch(hits -> minGapMillis(hits, since, Long.MAX_VALUE) > intervalMillis / 2));
        } finally {
            String survivor = urls("registry-service").get(0);
            tokens.forEach((instance, token) -> Fleet.delete(survivor + "/v1/services/fleet-checked/instances/" + instance,
                    Map.of("X-Maestro-Token", token)));
            target.stop(0);
        }
    }

    /** The shortest time between two consecutive probes that both fall in [from, to), in ms (MAX when fewer than two). */
    static long minGapMillis(List<Long> hits, long from, long to) {
        List<Long> in = hits.stream().filter(t -> t >= from && t < to).sorted().toList();
        long min = Long.MAX_VALUE;
        for (int i = 1; i < in.size(); i++) {
            min = Math.min(min, (in.get(i) - in.get(i - 1)) / 1_000_000);
        }
        return min;
    }

    /** The probes a registry replica ran so far (its /q/metrics). */
    static double probeCount(ServiceProcess registry) {
        double total = 0;
        for (String line : Fleet.get(registry.url() + "/q/metrics").text().split("\n")) {
            if (line.startsWith("maestro_registry_check_probes_total{")) {
                total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }

    static Duration cpu(ServiceProcess process) {
        return ProcessHandle.of(process.pid()).flatMap(p -> p.info().totalCpuDuration()).orElse(Duration.ZERO);
    }

    // --- helpers ---

    static void everyLiveReplicaIsListed(String registry) {
        for (String service : List.of("registry-service", "election-service", "inventory-service", "provisioner-service")) {
            String name = "maestro." + service.substring(0, service.indexOf("-service"));
            List<String> endpoints = new ArrayList<>();
            Fleet.get(registry + "/v1/services/" + name).body().get("instances")
                    .forEach(instance -> endpoints.add(instance.get("endpoint").asText()));
            assertThat(endpoints).as(name).containsExactlyInAnyOrderElementsOf(urls(service));
        }
    }

    static List<String> urls(String service) {
        return FLEET.replicas(service).stream().filter(ServiceProcess::isAlive).map(ServiceProcess::url).toList();
    }

    static void register(String registry, String service, String instanceId) {
        Fleet.Reply reply = Fleet.put(registry + "/v1/services/" + service + "/instances/" + instanceId,
                Map.of("endpoint", "http://10.1.0.1:80/" + instanceId, "ttlSeconds", 600), Map.of());
        assertThat(reply.status()).as(reply.text()).isEqualTo(201);
    }

    static void awaitRevisionsExactlyOnce(String service, int revisions) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(FLEET.events(Topics.REGISTRY_CHANGES, service, ServiceMembershipChanged.class).stream()
                        .filter(distinctBy(ServiceMembershipChanged::eventId)).toList())
                        .extracting(ServiceMembershipChanged::revision)
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, revisions).boxed().toList()));
    }

    static void awaitCreatedExactlyOnce(List<String> names) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            // A relay killed between Kafka's acknowledgement and marking the row sends that row again with the same
            // eventId (at least once; consumers dedupe by eventId). Doubled would be two events for one creation.
            List<InventoryMutation> created = FLEET.readAll(Topics.INVENTORY_MUTATIONS).stream()
                    .map(r -> EventCodec.decode(r.value(), InventoryMutation.class))
                    .filter(m -> m.op() == InventoryMutation.Op.CREATED && names.contains(m.entityName()))
                    .filter(distinctBy(InventoryMutation::eventId)).toList();
            assertThat(created).extracting(InventoryMutation::entityName).containsExactlyInAnyOrderElementsOf(names);
        });
    }

    /** Creates an entity through one replica, or the other when that one is down; 409 means a retry found it made. */
    static void createWithRetry(List<ServiceProcess> replicas, int first, String name) {
        for (int attempt = 0; attempt < 2; attempt++) {
            ServiceProcess replica = replicas.get((first + attempt) % 2);
            try {
                int status = Fleet.post(replica.url() + "/v1/entities", Map.of("name", name, "type", "rack")).status();
                assertThat(status).isIn(201, 409);
                return;
            } catch (UncheckedIOException down) {
                // connection refused: the caller's retry goes to the other replica
            }
        }
        throw new AssertionError("no inventory replica took " + name);
    }

    /** Keeps the first of the items that share an id. */
    static <T> Predicate<T> distinctBy(Function<T, String> id) {
        Set<String> seen = new HashSet<>();
        return item -> seen.add(id.apply(item));
    }

    /** The one live replica whose readiness says {@code <flag>: true} (the one publishing to Kafka). */
    static ServiceProcess activeReplica(String module, String flag) {
        ServiceProcess[] active = new ServiceProcess[1];
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<ServiceProcess> found = FLEET.replicas(module).stream().filter(ServiceProcess::isAlive).filter(replica -> {
                for (JsonNode check : Fleet.get(replica.url() + "/q/health/ready").body().get("checks")) {
                    if (check.path("data").path(flag).asBoolean(false)) {
                        return true;
                    }
                }
                return false;
            }).toList();
            assertThat(found).as(module + " replicas with " + flag).hasSize(1);
            active[0] = found.get(0);
        });
        return active[0];
    }

    static JsonNode heartbeat(String election, String group, String candidate, String token) {
        Fleet.Reply reply = Fleet.put(election + "/v1/groups/" + group + "/candidates/" + candidate + "/heartbeat", Map.of(),
                Map.of("X-Maestro-Token", token));
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        return reply.body();
    }

    static String leaderSeenByEveryReplica(List<String> elections, String group) {
        Set<String> seen = new HashSet<>();
        for (String election : elections) {
            JsonNode leader = Fleet.get(election + "/v1/groups/" + group).body().get("leader");
            seen.add(leader.isNull() ? null : leader.get("candidateId").asText());
        }
        assertThat(seen).hasSize(1);
        return seen.iterator().next();
    }

    /** The registry instance id of the replica at {@code url}, or null. */
    static String instanceAt(String service, String url) {
        for (String registry : urls("registry-service")) {
            try {
                for (JsonNode instance : Fleet.get(registry + "/v1/services/" + service).body().get("instances")) {
                    if (url.equals(instance.get("endpoint").asText())) {
                        return instance.get("instanceId").asText();
                    }
                }
                return null;
            } catch (UncheckedIOException down) {
                // try the next registry replica
            }
        }
        throw new AssertionError("no registry replica answers");
    }

    static void awaitExpired(String service, String instanceId) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(FLEET.events(Topics.REGISTRY_CHANGES, service, ServiceMembershipChanged.class)).anySatisfy(change -> {
                    assertThat(change.change().type()).isEqualTo(ServiceMembershipChanged.ChangeType.EXPIRED);
                    assertThat(change.change().instanceId()).isEqualTo(instanceId);
                }));
    }
}
