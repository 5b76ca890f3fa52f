package io.maestro.registry.store;

import io.maestro.events.EventCodec;
import io.maestro.events.ServiceMembershipChanged;
import io.maestro.localstack.LocalStackResource;
import io.maestro.registry.EventIds;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The scripts write the final event JSON: their dates and event ids must be what Java would produce. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class LuaPreludeTest {
    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Inject
    RedisDataSource redis;

    private String eval(String body, String... args) throws IOException {
        String script;
        try (InputStream in = getClass().getResourceAsStream("/lua/prelude.lua")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8) + "\n" + body;
        }
        String[] command = new String[args.length + 2];
        command[0] = script;
        command[1] = "0";
        System.arraycopy(args, 0, command, 2, args.length);
        return redis.execute("EVAL", command).toString();
    }

    @Test
    void isoDatesMatchJavasForEdgeAndRandomInstants() throws IOException {
        List<Long> instants = new java.util.ArrayList<>(List.of(0L, 999L, 951_782_400_000L, 951_868_799_999L, 1_709_251_199_999L,
                4_102_444_800_000L, 253_402_300_799_999L));
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            instants.add(Math.floorMod(random.nextLong(), 4_102_444_800_000L));
        }
        for (long ms : instants) {
            assertThat(eval("return iso(tonumber(ARGV[1]))", Long.toString(ms)))
                    .as("ms %d", ms)
                    .isEqualTo(ISO_MILLIS.format(Instant.ofEpochMilli(ms)));
        }
    }

    @Test
    void eventIdsMatchTheJavaDerivation() throws IOException {
        for (int revision = 1; revision < 50; revision++) {
            String epoch = UUID.randomUUID().toString();
            String id = eval("return event_id(ARGV[1], ARGV[2], tonumber(ARGV[3]))", epoch, "billing", Integer.toString(revision));
            assertThat(id).isEqualTo(EventIds.of(epoch, "billing", revision));
            assertThat(UUID.fromString(id).version()).isEqualTo(5);
            assertThat(UUID.fromString(id).variant()).isEqualTo(2);
        }
    }

    @Test
    void theLoggedEventIsAValidServiceMembershipChangedWithTheDataSetsEventId() {
        String service = "lua-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType("application/json").body(Map.of("endpoint", "http://10.0.0.1/a/b?x=%22", "attributes", Map.of("k", "v\"\u00e9"), "ttlSeconds", 30))
                .put("/v1/services/{s}/instances/{i}", service, "node-1").then().statusCode(201);
        var entries = redis.stream(String.class).xrange("maestro:registry:" + service + ":log", io.quarkus.redis.datasource.stream.StreamRange.of("-", "+"));
        assertThat(entries).hasSize(1);
        String json = entries.get(0).payload().get("event");
        ServiceMembershipChanged event = EventCodec.decode(json, ServiceMembershipChanged.class);
        String epoch = redis.value(String.class).get("maestro:registry:_epoch");
        assertThat(event.eventId()).isEqualTo(EventIds.of(epoch, service, 1));
        assertThat(event.instances().get(0).endpoint()).isEqualTo("http://10.0.0.1/a/b?x=%22");
        assertThat(event.instances().get(0).attributes()).containsEntry("k", "v\"\u00e9");
        assertThat(event.occurredAt()).isCloseTo(Instant.now(), org.assertj.core.api.Assertions.within(10, java.time.temporal.ChronoUnit.SECONDS));
        assertThat(event.instances().get(0).expiresAt()).isAfter(event.occurredAt().plusSeconds(29));
    }
}
