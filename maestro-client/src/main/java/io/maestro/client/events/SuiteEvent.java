package io.maestro.client.events;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.events.CloudEvents;
import io.maestro.events.EventCodec;
import io.maestro.events.EventType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One record of a suite topic as read back: where it is, its key, its CloudEvents type, its JSON (a text node when
 * it is not JSON, as on a dead-letter topic) and, on a dead-letter topic, why it is there.
 */
public record SuiteEvent(String topic, int partition, long offset, String key, String type, Instant timestamp, JsonNode value,
                         String deadLetterReason) {

    public static SuiteEvent of(ConsumerRecord<String, String> record) {
        JsonNode value;
        try {
            value = record.value() == null ? EventCodec.mapper().nullNode() : EventCodec.mapper().readTree(record.value());
        } catch (IOException notJson) {
            value = EventCodec.mapper().getNodeFactory().textNode(record.value());
        }
        return new SuiteEvent(record.topic(), record.partition(), record.offset(), record.key(), header(record, CloudEvents.HEADER_TYPE),
                Instant.ofEpochMilli(record.timestamp()), value, header(record, CloudEvents.HEADER_DLQ_REASON));
    }

    /** The event in one readable line, as {@code maestro events} prints it. */
    public String summary() {
        if (deadLetterReason != null) {
            return "DEAD LETTER (" + deadLetterReason + "): " + value;
        }
        EventType eventType = type == null ? null : EventType.ofCeType(type).orElse(null);
        if (eventType == EventType.SERVICE_MEMBERSHIP_CHANGED) {
            return membershipLine(value);
        }
        if (eventType == EventType.LEADERSHIP_CHANGED) {
            return leadershipLine(value);
        }
        if (eventType == EventType.PROVISIONING_EVENT) {
            JsonNode node = value.path("node");
            String subject = node.isObject() ? node.path("tag").asText() + "-" + node.path("index").asText() + " " : "";
            String where = node.path("address").isTextual() ? " " + node.path("address").asText() + ":" + node.path("port").asText() : "";
            String message = value.path("message").isTextual() ? ": " + value.path("message").asText() : "";
            return "command " + value.path("commandId").asText() + " " + subject + value.path("type").asText() + where + message;
        }
        if (eventType == EventType.INVENTORY_MUTATION) {
            return value.path("entityName").asText() + " " + value.path("op").asText() + " (version " + value.path("version").asText() + ")";
        }
        String name = eventType == null ? "record" : eventType.recordClass().getSimpleName();
        return name + " " + value;
    }

    /** A registry change (a {@code ServiceMembershipChanged} or a watch's snapshot) in one line. */
    public static String membershipLine(JsonNode change) {
        List<String> endpoints = new ArrayList<>();
        change.path("instances").forEach(i -> endpoints.add(i.path("instanceId").asText() + "=" + i.path("endpoint").asText()));
        JsonNode what = change.path("change");
        String instance = what.path("instanceId").asText("");
        return String.format("%s rev %s %s%s -> %d instance(s)%s", change.path("service").asText(), change.path("revision").asText(),
                what.path("type").asText("SNAPSHOT"), instance.isEmpty() ? "" : " " + instance, endpoints.size(),
                endpoints.isEmpty() ? "" : ": " + String.join(" ", endpoints));
    }

    /** A change of leadership ({@code LeadershipChanged}) in one line. */
    public static String leadershipLine(JsonNode change) {
        String subject = change.path("group").asText() + (change.path("key").isTextual() ? "/" + change.path("key").asText() : "");
        return String.format("%s %s %s (token %s%s)", subject, change.path("reason").asText(),
                change.path("leader").asText("nobody"), change.path("fencingToken").asText(),
                change.path("previousLeader").isTextual() ? ", was " + change.path("previousLeader").asText() : "");
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
