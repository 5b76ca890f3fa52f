package io.maestro.registry.store;

import io.maestro.events.ServiceMembershipChanged;
import io.maestro.localstack.LocalStackResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.stream.StreamMessage;
import io.quarkus.redis.datasource.stream.StreamRange;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The scripts log a change as fields; Java builds the one event from them, the same from the service's log and from the change stream. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class LoggedChangesTest {
    @Inject
    RedisDataSource redis;
    @Inject
    RegistryStore store;

    @Test
    void eventIdsAreVersion5UuidsNamedByDataSetServiceAndRevision() {
        Set<String> ids = new HashSet<>();
        String epoch = UUID.randomUUID().toString();
        for (int revision = 1; revision < 50; revision++) {
            String id = MembershipChanges.eventId(epoch, "billing", revision);
            assertThat(MembershipChanges.eventId(epoch, "billing", revision)).isEqualTo(id);
            assertThat(UUID.fromString(id).version()).isEqualTo(5);
            assertThat(UUID.fromString(id).variant()).isEqualTo(2);
            ids.add(id);
            ids.add(MembershipChanges.eventId(epoch, "payments", revision));
            ids.add(MembershipChanges.eventId(UUID.randomUUID().toString(), "billing", revision));
        }
        assertThat(ids).hasSize(49 * 3);
    }

    @Test
    void aLoggedChangeIsAValidServiceMembershipChangedAlikeInTheServiceLogAndTheChangeStream() {
        String service = "lua-" + UUID.randomUUID().toString().substring(0, 8);
        String token = given().contentType("application/json")
                .body(Map.of("endpoint", "http://10.0.0.1/a/b?x=%22", "attributes", Map.of("k", "v\"\u00e9", "n", "12345678901234567890"), "ttlSeconds", 30))
                .put("/v1/services/{s}/instances/{i}", service, "node-1").then().statusCode(201).extract().path("token");
        given().header("X-Maestro-Token", token).delete("/v1/services/{s}/instances/{i}", service, "node-1").then().statusCode(204);

        List<StreamMessage<String, String, String>> log = redis.stream(String.class).xrange(store.keys().log(service), StreamRange.of("-", "+"));
        assertThat(log).extracting(StreamMessage::id).containsExactly("1-0", "2-0");
        ServiceMembershipChanged registered = MembershipChanges.decode(log.get(0).payload());
        String epoch = redis.value(String.class).get(store.keys().epoch(store.keys().shardOf(service)));
        assertThat(registered.eventId()).isEqualTo(MembershipChanges.eventId(epoch, service, 1));
        assertThat(registered.change().type()).isEqualTo(ServiceMembershipChanged.ChangeType.REGISTERED);
        assertThat(registered.instances().get(0).endpoint()).isEqualTo("http://10.0.0.1/a/b?x=%22");
        assertThat(registered.instances().get(0).attributes()).containsEntry("k", "v\"\u00e9").containsEntry("n", "12345678901234567890");
        assertThat(registered.occurredAt()).isCloseTo(Instant.now(), within(10, ChronoUnit.SECONDS));
        assertThat(registered.instances().get(0).registeredAt()).isEqualTo(registered.occurredAt());
        assertThat(registered.instances().get(0).expiresAt()).isEqualTo(registered.occurredAt().plusSeconds(30));
        assertThat(registered.actor()).isNotBlank();
        ServiceMembershipChanged deregistered = MembershipChanges.decode(log.get(1).payload());
        assertThat(deregistered.instances()).as("an empty list is an empty list").isEmpty();

        List<ServiceMembershipChanged> streamed = redis.stream(String.class).xrange(store.keys().changes(store.keys().shardOf(service)), StreamRange.of("-", "+")).stream()
                .map(entry -> MembershipChanges.decode(entry.payload())).filter(event -> event.service().equals(service)).toList();
        assertThat(streamed).containsExactly(registered, deregistered);
    }
}
