package io.maestro.events;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * JSON encoding of the suite's records. Decoding is strict about what a record needs (required fields,
 * names, enum values) and tolerant of fields it does not know, so producers can add fields without
 * breaking older consumers. Every failure is an {@link InvalidEventException} whose message says what
 * is wrong and where, ready to be put in a dead-letter header.
 */
public final class EventCodec {
    private static final ObjectMapper MAPPER = configure(new ObjectMapper());

    /** Applies the suite's JSON conventions (ISO-8601 times, tolerant of unknown fields) to a mapper. */
    public static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.registerModule(new JavaTimeModule())
                .registerModule(new SimpleModule("maestro-instants").addSerializer(Instant.class, new IsoInstantSerializer()))
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] encode(Object record) {
        try {
            return MAPPER.writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + record.getClass().getSimpleName(), e);
        }
    }

    public static String encodeToString(Object record) {
        try {
            return MAPPER.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + record.getClass().getSimpleName(), e);
        }
    }

    public static <T> T decode(byte[] json, Class<T> type) {
        if (json == null || json.length == 0) {
            throw new InvalidEventException("cannot decode " + type.getSimpleName() + ": empty payload");
        }
        try {
            T value = MAPPER.readValue(json, type);
            if (value == null) {
                throw new InvalidEventException("cannot decode " + type.getSimpleName() + ": payload is JSON null");
            }
            return value;
        } catch (IOException e) {
            throw new InvalidEventException("cannot decode " + type.getSimpleName() + ": " + describe(e), e);
        }
    }

    public static <T> T decode(String json, Class<T> type) {
        return decode(json == null ? null : json.getBytes(StandardCharsets.UTF_8), type);
    }

    /** Decodes by the CloudEvents {@code ce_type} header; an unknown type is an {@link InvalidEventException}. */
    public static MaestroEvent decode(String ceType, byte[] json) {
        EventType type = EventType.ofCeType(ceType).orElseThrow(() -> new InvalidEventException(
                "unknown event type '" + ceType + "'; known types: "
                        + java.util.Arrays.stream(EventType.values()).map(EventType::ceType).collect(Collectors.joining(", "))));
        return decode(json, type.recordClass());
    }

    /** The CloudEvents binary-mode headers of a record, in a stable order. */
    public static Map<String, String> cloudEventHeaders(MaestroEvent event, String source) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(CloudEvents.HEADER_SPEC_VERSION, CloudEvents.SPEC_VERSION);
        headers.put(CloudEvents.HEADER_ID, event.eventId());
        headers.put(CloudEvents.HEADER_TYPE, EventType.of(event.getClass()).ceType());
        headers.put(CloudEvents.HEADER_SOURCE, source);
        headers.put(CloudEvents.HEADER_TIME, DateTimeFormatter.ISO_INSTANT.format(event.occurredAt()));
        headers.put(CloudEvents.HEADER_SUBJECT, event.subject());
        headers.put(CloudEvents.HEADER_CONTENT_TYPE, CloudEvents.CONTENT_TYPE_JSON);
        return headers;
    }

    private static String describe(IOException e) {
        Throwable root = e;
        if (e instanceof ValueInstantiationException && e.getCause() instanceof InvalidEventException invalid) {
            return invalid.getMessage();
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String path = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining()).replaceFirst("^\\.", "");
            return ((JacksonException) e).getOriginalMessage() + " (at '" + path + "')";
        }
        if (root instanceof JacksonException jackson) {
            var location = jackson.getLocation();
            String where = location == null ? "" : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
            return jackson.getOriginalMessage() + where;
        }
        return String.valueOf(e.getMessage());
    }

    private EventCodec() {
    }
}
