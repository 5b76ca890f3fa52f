package io.maestro.registry.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectReader;
import io.maestro.events.EventCodec;
import io.maestro.events.ServiceMembershipChanged;
import io.maestro.events.ServiceMembershipChanged.ServiceInstance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link ServiceMembershipChanged} from the fields the scripts log for a change ({@code record_change} in
 * {@code prelude.lua}): the one place where a registry event is made, for Kafka and for watches alike.
 *
 * <p>Event ids are name-based: the SHA-1 of {@code <epoch>/<service>/<revision>} laid out as a version-5 UUID, where
 * the epoch identifies the registry's data set ({@code P_epoch}). The same change has the same id on Kafka, in every
 * watch and from every replica, so a consumer can deduplicate by id or by revision.
 */
public final class MembershipChanges {
    private static final ObjectReader ATTRIBUTES = EventCodec.mapper().readerFor(new TypeReference<Map<String, String>>() {
    });

    private MembershipChanges() {
    }

    /** The event of one logged change; {@code fields} as the scripts wrote them. */
    public static ServiceMembershipChanged decode(Map<String, String> fields) {
        String service = fields.get("service");
        long revision = Long.parseLong(fields.get("revision"));
        String actor = fields.get("actor");
        return new ServiceMembershipChanged(
                eventId(fields.get("epoch"), service, revision),
                Instant.ofEpochMilli(Long.parseLong(fields.get("ms"))),
                service,
                revision,
                new ServiceMembershipChanged.Change(ServiceMembershipChanged.ChangeType.valueOf(fields.get("type")), fields.get("instance")),
                instances(fields.get("instances")),
                actor == null || actor.isEmpty() ? null : actor);
    }

    /**
     * An instance list as the scripts write it: {@code [[instanceId, endpoint, attributes JSON, registeredAt ms,
     * expiresAt ms, health, healthOutput, state], ...]} ('' for none; changes logged before checks existed end after
     * expiresAt).
     */
    public static List<ServiceInstance> instances(String json) {
        // Read as a stream, field by field: every change of a service carries its whole list, twice decoded per replica
        // (watches and the relay), so this is on the registry's hottest path.
        try (JsonParser rows = EventCodec.mapper().createParser(json)) {
            expect(rows.nextToken(), JsonToken.START_ARRAY);
            List<ServiceInstance> instances = new ArrayList<>();
            while (rows.nextToken() == JsonToken.START_ARRAY) {
                String id = rows.nextTextValue();
                String endpoint = rows.nextTextValue();
                Map<String, String> attributes = ATTRIBUTES.readValue(rows.nextTextValue());
                long registeredAt = nextMillis(rows);
                long expiresAt = nextMillis(rows);
                String health = null;
                String healthOutput = null;
                String state = null;
                if (rows.nextToken() != JsonToken.END_ARRAY) {
                    health = blankToNull(rows.getValueAsString());
                    healthOutput = blankToNull(rows.nextTextValue());
                    state = blankToNull(rows.nextTextValue());
                    expect(rows.nextToken(), JsonToken.END_ARRAY);
                }
                if (id == null || endpoint == null) {
                    throw new IOException("an instance without id or endpoint");
                }
                instances.add(new ServiceInstance(id, endpoint, attributes, Instant.ofEpochMilli(registeredAt),
                        Instant.ofEpochMilli(expiresAt), health, healthOutput, state));
            }
            return instances;
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("unreadable instance list in Redis: " + e.getMessage(), e);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** cjson writes large numbers in exponent form at times (1.76457006e+12). */
    private static long nextMillis(JsonParser rows) throws IOException {
        JsonToken token = rows.nextToken();
        if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new IOException("expected a time in ms, found " + token);
        }
        return rows.getValueAsLong();
    }

    private static void expect(JsonToken token, JsonToken expected) throws IOException {
        if (token != expected) {
            throw new IOException("expected " + expected + ", found " + token);
        }
    }

    /** The id of the change {@code revision} of {@code service} in the data set {@code epoch}. */
    public static String eventId(String epoch, String service, long revision) {
        try {
            String h = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest((epoch + "/" + service + "/" + revision).getBytes(StandardCharsets.UTF_8)));
            String variant = Integer.toHexString(8 + Integer.parseInt(h.substring(16, 17), 16) % 4);
            return h.substring(0, 8) + "-" + h.substring(8, 12) + "-5" + h.substring(13, 16) + "-" + variant
                    + h.substring(17, 20) + "-" + h.substring(20, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
