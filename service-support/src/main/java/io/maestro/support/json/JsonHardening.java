package io.maestro.support.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.KeyDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.JsonNodeDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;

/**
 * What every service's JSON reader refuses, before any of it reaches a store: content after the JSON value
 * ({@code {...}{...}} was read as its first document), and U+0000 in any string or object key, which PostgreSQL
 * cannot store (a 500 before). Both answer 400 through {@code ProblemMappers}, naming the field.
 */
@Singleton
public class JsonHardening implements ObjectMapperCustomizer {
    /** The rule a string breaks when it holds U+0000, as the caller reads it. */
    public static final String NUL_RULE = "must not contain the character U+0000 (NUL)";

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.registerModule(new SimpleModule("maestro-json-hardening")
                .addDeserializer(String.class, new NulRefusingStringDeserializer())
                .addKeyDeserializer(String.class, new NulRefusingKeyDeserializer())
                .addDeserializer(JsonNode.class, new NulRefusingTreeDeserializer()));
    }

    /** Thrown for a string holding U+0000; Jackson adds the path of the field it was reading. */
    public static final class NulCharacterException extends InvalidFormatException {
        NulCharacterException(JsonParser parser, String value) {
            super(parser, NUL_RULE, value.length() > 64 ? value.substring(0, 64) : value, String.class);
        }
    }

    static final class NulRefusingStringDeserializer extends StringDeserializer {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = super.deserialize(p, ctxt);
            if (value != null && value.indexOf('\u0000') >= 0) {
                throw new NulCharacterException(p, value);
            }
            return value;
        }
    }

    /** Free-form JSON (metadata, options) is held to the same rule, keys and values. */
    static final class NulRefusingTreeDeserializer extends StdDeserializer<JsonNode> {
        @SuppressWarnings("unchecked")
        private final JsonDeserializer<JsonNode> trees = (JsonDeserializer<JsonNode>) (JsonDeserializer<?>) JsonNodeDeserializer.getDeserializer(JsonNode.class);

        NulRefusingTreeDeserializer() {
            super(JsonNode.class);
        }

        @Override
        public JsonNode deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode tree = trees.deserialize(p, ctxt);
            String nul = firstWithNul(tree);
            if (nul != null) {
                throw new NulCharacterException(p, nul);
            }
            return tree;
        }

        @Override
        public JsonNode getNullValue(DeserializationContext ctxt) {
            return com.fasterxml.jackson.databind.node.NullNode.getInstance();
        }

        private static String firstWithNul(JsonNode node) {
            if (node.isTextual()) {
                return node.textValue().indexOf('\u0000') >= 0 ? node.textValue() : null;
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getKey().indexOf('\u0000') >= 0) {
                    return field.getKey();
                }
                String inside = firstWithNul(field.getValue());
                if (inside != null) {
                    return inside;
                }
            }
            if (node.isArray()) {
                for (JsonNode element : node) {
                    String inside = firstWithNul(element);
                    if (inside != null) {
                        return inside;
                    }
                }
            }
            return null;
        }
    }

    static final class NulRefusingKeyDeserializer extends KeyDeserializer {
        @Override
        public Object deserializeKey(String key, DeserializationContext ctxt) throws IOException {
            if (key.indexOf('\u0000') >= 0) {
                throw new NulCharacterException(ctxt.getParser(), key);
            }
            return key;
        }
    }
}
