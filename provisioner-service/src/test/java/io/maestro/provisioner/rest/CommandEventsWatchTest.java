package io.maestro.provisioner.rest;

import io.maestro.events.EventCodec;
import io.maestro.provisioner.repository.Sessions;
import io.maestro.events.ProvisioningCommand;
import io.maestro.events.ProvisioningEvent;
import io.maestro.localstack.LocalStackResource;
import io.maestro.provisioner.repository.CommandRepository;
import io.maestro.support.testing.TestDatabase;
import io.maestro.support.testing.Tokens;
import io.maestro.support.watch.SseClient;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.hasItem;

/**
 * {@code GET /v1/commands/{id}/events} is woken by the commit of each event (PostgreSQL LISTEN/NOTIFY through the
 * shared watch hub), not by polling.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_provisioner"))
class CommandEventsWatchTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TestHTTPResource("/")
    URI base;
    @Inject
    CommandRepository commands;
    final TestDatabase sql = new TestDatabase();

    /** A finished command (so no replica runs it) whose events this test appends itself, as a running command would. */
    String command() {
        String id = "watch-" + UUID.randomUUID();
        Sessions.awaitTransaction(() -> commands.insertIfNew(ProvisioningCommand.destroy(id, "watched")));
        sql.update("update command set status = 'SUCCEEDED' where id = $1", id);
        return id;
    }

    private void append(String commandId, ProvisioningEvent.Type type, int index) {
        ProvisioningEvent.Node node = type.isNodeEvent()
                ? new ProvisioningEvent.Node("n", index, null, null, null, ProvisioningEvent.NodeStatus.pending, null, "local") : null;
        ProvisioningEvent event = new ProvisioningEvent(UUID.randomUUID().toString(), commandId, Instant.now(), "watched", type, node, null, "ops");
        Sessions.awaitTransaction(() -> commands.append(event));
    }

    SseClient watch(String commandId, Map<String, String> headers) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.put("Authorization", Tokens.bearer(Tokens.admin()));
        SseClient client = new SseClient(base.resolve("/v1/commands/" + commandId + "/events"), all);
        assertThat(client.status).isEqualTo(200);
        // the hub's first comment: from here on every committed event reaches this watcher
        await().atMost(WAIT).until(() -> !client.comments.isEmpty());
        return client;
    }

    private static ProvisioningEvent event(SseClient.Event sse) {
        return EventCodec.decode(sse.data(), ProvisioningEvent.class);
    }

    @Test
    void aCommittedEventReachesAWatcherWithinMillisecondsWithoutPollingAndTheLastEndsTheStream() throws Exception {
        String id = command();
        int rounds = 25;
        List<Double> millis = new ArrayList<>();
        try (SseClient watcher = watch(id, Map.of())) {
            for (int i = 0; i < rounds; i++) {
                long committed = System.nanoTime();
                append(id, ProvisioningEvent.Type.NODE_PENDING, i);
                int expected = i + 1;
                await().atMost(WAIT).pollInterval(Duration.ofMillis(1)).until(() -> watcher.events.size() == expected);
                millis.add((watcher.events.get(i).arrivedNanos() - committed) / 1e6);
            }
            append(id, ProvisioningEvent.Type.SUCCEEDED, 0);
            await().atMost(WAIT).until(watcher::ended);
            assertThat(watcher.events).hasSize(rounds + 1);
            assertThat(watcher.events.stream().map(e -> event(e).node() == null ? -1 : event(e).node().index()).toList().subList(0, rounds))
                    .isSorted().doesNotHaveDuplicates();
        }
        List<Double> sorted = millis.stream().sorted().toList();
        double median = sorted.get(sorted.size() / 2);
        System.out.printf("command event committed -> SSE watcher: median %.2f ms, p90 %.2f ms, max %.2f ms over %d events%n",
                median, sorted.get(sorted.size() * 9 / 10), sorted.get(sorted.size() - 1), rounds);
        // the old endpoint polled every 200 ms: a notified watch is far below that (the bound is loose on purpose)
        assertThat(median).isLessThan(150);
    }

    @Test
    void aWatcherResumingWithLastEventIdGetsOnlyTheEventsAfterIt() throws Exception {
        String id = command();
        append(id, ProvisioningEvent.Type.ACCEPTED, 0);
        append(id, ProvisioningEvent.Type.NODE_PENDING, 0);
        append(id, ProvisioningEvent.Type.NODE_RUNNING, 0);
        String firstId;
        try (SseClient all = watch(id, Map.of())) {
            await().atMost(WAIT).until(() -> all.events.size() == 3);
            assertThat(all.events).extracting(e -> event(e).type()).containsExactly(
                    ProvisioningEvent.Type.ACCEPTED, ProvisioningEvent.Type.NODE_PENDING, ProvisioningEvent.Type.NODE_RUNNING);
            firstId = all.events.get(0).id();
        }
        try (SseClient resumed = watch(id, Map.of("Last-Event-ID", firstId))) {
            await().atMost(WAIT).until(() -> resumed.events.size() == 2);
            assertThat(resumed.events).extracting(e -> event(e).type()).containsExactly(
                    ProvisioningEvent.Type.NODE_PENDING, ProvisioningEvent.Type.NODE_RUNNING);
            append(id, ProvisioningEvent.Type.FAILED, 0);
            await().atMost(WAIT).until(resumed::ended);
            assertThat(event(resumed.events.get(2)).type()).isEqualTo(ProvisioningEvent.Type.FAILED);
        }
    }

    @Test
    void aLastEventIdThatIsNoEventPositionIsA400() {
        given().header("Last-Event-ID", "yesterday").get("/v1/commands/{id}/events", command()).then()
                .statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("Last-Event-ID"));
    }

    @Test
    void theEventsOfAnUnknownCommandAreA404ProblemNotABrokenStream() {
        given().accept("text/event-stream").get("/v1/commands/{id}/events", "never-issued-" + UUID.randomUUID()).then()
                .statusCode(404).contentType("application/problem+json").body("detail", org.hamcrest.Matchers.startsWith("no command"));
    }
}
