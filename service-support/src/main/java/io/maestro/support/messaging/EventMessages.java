package io.maestro.support.messaging;

import io.maestro.events.CloudEvents;
import io.maestro.events.EventCodec;
import io.maestro.events.MaestroEvent;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.nio.charset.StandardCharsets;

/**
 * Kafka messages of the suite: JSON value, the event's subject as key, CloudEvents attributes as headers
 * (binary content mode). Send with a {@code MutinyEmitter<String>} on a channel named after the topic.
 */
public final class EventMessages {
    private EventMessages() {
    }

    /**
     * @param source the CloudEvents {@code ce_source}, e.g. {@code /maestro/registry-service}
     */
    public static Message<String> of(MaestroEvent event, String source) {
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(event.subject())
                .withHeaders(headers(event, source))
                .build();
        return Message.of(EventCodec.encodeToString(event)).addMetadata(metadata);
    }

    /** The CloudEvents attributes of {@code event} as Kafka headers. */
    public static RecordHeaders headers(MaestroEvent event, String source) {
        RecordHeaders headers = new RecordHeaders();
        EventCodec.cloudEventHeaders(event, source)
                .forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        return headers;
    }

    /** The CloudEvents source of a service. */
    public static String sourceOf(String applicationName) {
        return "/maestro/" + applicationName;
    }

    /** The value of a header as text, or null. */
    public static String header(org.apache.kafka.common.header.Headers headers, String name) {
        var header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The CloudEvents type header of a consumed record, or null. */
    public static String ceType(org.apache.kafka.common.header.Headers headers) {
        return header(headers, CloudEvents.HEADER_TYPE);
    }
}
