package io.maestro.events;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The JSON Schemas for non-Java consumers must describe the same fields as the records. */
class JsonSchemaTest {

    @ParameterizedTest
    @EnumSource(EventType.class)
    void schemaListsExactlyTheRecordFields(EventType type) throws Exception {
        JsonNode schema = load(type);
        List<String> schemaFields = new ArrayList<>();
        schema.get("properties").fieldNames().forEachRemaining(schemaFields::add);
        List<String> recordFields = Arrays.stream(type.recordClass().getRecordComponents()).map(RecordComponent::getName).toList();
        assertThat(schemaFields).containsExactlyInAnyOrderElementsOf(recordFields);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void schemaRequiresWhatTheCodecRequires(EventType type) throws Exception {
        JsonNode schema = load(type);
        for (JsonNode required : schema.get("required")) {
            var withoutField = EventCodec.mapper().valueToTree(sample(type));
            ((com.fasterxml.jackson.databind.node.ObjectNode) withoutField).remove(required.asText());
            byte[] json = EventCodec.mapper().writeValueAsBytes(withoutField);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> EventCodec.decode(json, type.recordClass()))
                    .as("decoding %s without '%s'", type, required.asText())
                    .isInstanceOf(InvalidEventException.class);
        }
    }

    private static MaestroEvent sample(EventType type) {
        return EventCodecTest.everyRecord().filter(e -> e.getClass() == type.recordClass()).findFirst().orElseThrow();
    }

    private static JsonNode load(EventType type) throws Exception {
        String path = "/schemas/" + type.recordClass().getSimpleName() + ".schema.json";
        try (InputStream in = JsonSchemaTest.class.getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            JsonNode schema = EventCodec.mapper().readTree(in);
            assertThat(schema.get("title").asText()).isEqualTo(type.recordClass().getSimpleName());
            return schema;
        }
    }
}
