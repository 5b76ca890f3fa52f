package io.maestro.events;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.maestro.events.ServiceMembershipChanged.Change;
import io.maestro.events.ServiceMembershipChanged.ChangeType;
import io.maestro.events.ServiceMembershipChanged.ServiceInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventCodecTest {
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    static Stream<MaestroEvent> everyRecord() {
        var after = JsonNodeFactory.instance.objectNode().put("name", "s1").put("type", "server");
        return Stream.of(
                new ServiceMembershipChanged("e1", NOW, "billing", 7, new Change(ChangeType.EXPIRED, "i-1"),
                        List.of(new ServiceInstance("i-2", "http://10.0.0.2:8080", Map.of("version", "2"), NOW, NOW.plusSeconds(10))), "alice"),
                new LeadershipChanged("e2", NOW, "workers", "shard-3", "unit-b", "unit-a", 42, LeadershipChanged.Reason.REBALANCED, "unit-b"),
                new LeadershipChanged("e3", NOW, "workers", null, null, "unit-a", 9, LeadershipChanged.Reason.EXPIRED, null),
                new InventoryMutation("e4", NOW, "17", "s1", 3, InventoryMutation.Op.UPDATED, null, after, "alice"),
                ProvisioningCommand.launch("c1", "voltron",
                        List.of(new ProvisioningCommand.GroupSpec("master", 1, "local", Map.of()),
                                new ProvisioningCommand.GroupSpec("worker", 2, "aws-ec2", Map.of("instanceType", "t3.micro"))),
                        "ssh-ed25519 AAAA user@host", false).withActor("ci-bot"),
                new ProvisioningCommand("c2", NOW, ProvisioningCommand.Type.EXEC, "voltron", null, null, null, "worker", null, 1, "uptime", 30, null, null, "alice"),
                new ProvisioningEvent("e5", "c1", NOW, "voltron", ProvisioningEvent.Type.NODE_RUNNING,
                        new ProvisioningEvent.Node("worker", 1, "127.0.0.1", "maestro", 2222, ProvisioningEvent.NodeStatus.running, "local-voltron-worker-1", "local"),
                        null, "ci-bot"));
    }

    @ParameterizedTest
    @MethodSource("everyRecord")
    void everyRecordSurvivesARoundTripThroughJson(MaestroEvent event) {
        byte[] json = EventCodec.encode(event);
        assertThat(EventCodec.decode(json, event.getClass())).isEqualTo(event);
        String ceType = EventType.of(event.getClass()).ceType();
        assertThat(EventCodec.decode(ceType, json)).isEqualTo(event);
    }

    @ParameterizedTest
    @MethodSource("everyRecord")
    void cloudEventHeadersNameTheRecordAndItsKey(MaestroEvent event) {
        Map<String, String> headers = EventCodec.cloudEventHeaders(event, "/maestro/test");
        assertThat(headers)
                .containsEntry(CloudEvents.HEADER_ID, event.eventId())
                .containsEntry(CloudEvents.HEADER_SUBJECT, event.subject())
                .containsEntry(CloudEvents.HEADER_SOURCE, "/maestro/test")
                .containsEntry(CloudEvents.HEADER_SPEC_VERSION, "1.0");
        assertThat(headers.get(CloudEvents.HEADER_TYPE)).startsWith("io.maestro.").endsWith(".v1");
        assertThat(Instant.parse(headers.get(CloudEvents.HEADER_TIME))).isEqualTo(event.occurredAt());
    }

    @Test
    void timesAreWrittenAsIsoStrings() {
        String json = EventCodec.encodeToString(everyRecord().findFirst().orElseThrow());
        assertThat(json).contains("\"occurredAt\":\"" + NOW + "\"");
    }

    @Test
    void leadershipKeyNamesGroupOrGroupSlashKey() {
        assertThat(new LeadershipChanged("e", NOW, "g", null, "a", null, 1, LeadershipChanged.Reason.ELECTED, null).subject()).isEqualTo("g");
        assertThat(new LeadershipChanged("e", NOW, "g", "k", "a", null, 1, LeadershipChanged.Reason.ELECTED, null).subject()).isEqualTo("g/k");
    }

    @Test
    void malformedJsonIsRejectedWithItsPosition() {
        assertThatThrownBy(() -> EventCodec.decode("{\"eventId\": \"x\",, }", LeadershipChanged.class))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("cannot decode LeadershipChanged")
                .hasMessageContaining("line 1, column");
    }

    @Test
    void missingRequiredFieldIsNamed() {
        String json = """
                {"eventId":"e","occurredAt":"2026-01-01T00:00:00Z","revision":1,
                 "change":{"type":"REGISTERED","instanceId":"i"},"instances":[]}""";
        assertThatThrownBy(() -> EventCodec.decode(json, ServiceMembershipChanged.class))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("'service'");
    }

    @Test
    void missingRequiredNumberIsNamedRatherThanDefaultedToZero() {
        String json = """
                {"eventId":"e","occurredAt":"2026-01-01T00:00:00Z","service":"billing",
                 "change":{"type":"REGISTERED","instanceId":"i"}}""";
        assertThatThrownBy(() -> EventCodec.decode(json, ServiceMembershipChanged.class))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("revision");
    }

    @Test
    void nestedFieldErrorsNameTheNestedField() {
        String json = """
                {"eventId":"e","occurredAt":"2026-01-01T00:00:00Z","service":"billing","revision":1,
                 "change":{"type":"REGISTERED"}}""";
        assertThatThrownBy(() -> EventCodec.decode(json, ServiceMembershipChanged.class))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("change.instanceId");
    }

    @Test
    void unknownEnumValueIsRejectedWithThePath() {
        String json = """
                {"eventId":"e","occurredAt":"2026-01-01T00:00:00Z","group":"g","fencingToken":1,"reason":"STOLEN"}""";
        assertThatThrownBy(() -> EventCodec.decode(json, LeadershipChanged.class))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("STOLEN")
                .hasMessageContaining("reason");
    }

    @Test
    void invalidNameBreaksTheNameRule() {
        String json = """
                {"commandId":"c","occurredAt":"2026-01-01T00:00:00Z","type":"DESTROY","cluster":"Voltron!"}""";
        assertThatThrownBy(() -> EventCodec.decode(json, ProvisioningCommand.class))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("'cluster' must match");
    }

    @Test
    void launchWithoutGroupsIsRejected() {
        String json = """
                {"commandId":"c","occurredAt":"2026-01-01T00:00:00Z","type":"LAUNCH","cluster":"voltron"}""";
        assertThatThrownBy(() -> EventCodec.decode(json, ProvisioningCommand.class))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("groups");
    }

    @Test
    void unknownEventTypeIsRejectedListingTheKnownOnes() {
        assertThatThrownBy(() -> EventCodec.decode("io.maestro.Nope.v1", "{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("unknown event type 'io.maestro.Nope.v1'")
                .hasMessageContaining(EventType.LEADERSHIP_CHANGED.ceType());
    }

    @Test
    void emptyAndNullPayloadsAreRejected() {
        assertThatThrownBy(() -> EventCodec.decode(new byte[0], LeadershipChanged.class))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("empty payload");
        assertThatThrownBy(() -> EventCodec.decode("null", LeadershipChanged.class))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("JSON null");
    }

    @Test
    void unknownFieldsAreIgnoredSoProducersCanAddFields() {
        String json = """
                {"eventId":"e","occurredAt":"2026-01-01T00:00:00Z","group":"g","fencingToken":1,"reason":"ELECTED","futureField":true}""";
        assertThat(EventCodec.decode(json, LeadershipChanged.class).group()).isEqualTo("g");
    }

    @Test
    void everyTopicHasADeadLetterTopic() {
        assertThat(Topics.ALL).hasSize(5).allSatisfy(t -> assertThat(Topics.deadLetterOf(t)).isEqualTo(t + ".dlq"));
        assertThat(Topics.REGISTRY_CHANGES_DLQ).isEqualTo("maestro.registry.changes.dlq");
    }
}
