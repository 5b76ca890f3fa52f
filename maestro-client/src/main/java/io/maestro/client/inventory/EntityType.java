package io.maestro.client.inventory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * What the inventory knows about an entity type: whether its entities pass connections through, and how (null:
 * not); the rules of their attributes by key (null: none); its port templates (null: none; {@code "[1-48]"} is
 * ports 1 to 48). After a definition, {@code violating} and {@code violations} name the entities of the type that
 * break the rules now, and {@code portsAdded} says how many ports its entities got (null when read).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EntityType(String name, PassThrough passThrough, Map<String, AttributeRule> attributes, List<String> ports, long version,
                         String updatedAt, Integer violating, List<Violation> violations, Long portsAdded) {
    /** Port {@code front + x} is wired inside the entity to port {@code rear + x}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record PassThrough(String front, String rear) {
    }

    /**
     * What every value of an attribute key must be on entities of the type; null fields set no rule. {@code pattern} is
     * PostgreSQL's regular expression, matched in full; {@code min}/{@code max} bound integer and decimal values;
     * {@code unique}: no two entities of the type share a value.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AttributeRule(String type, Boolean required, String pattern, List<String> choices, BigDecimal min, BigDecimal max, Boolean unique) {
        /** A rule on the value's type alone ({@code integer}, {@code string}...). */
        public static AttributeRule ofType(String type) {
            return new AttributeRule(type, null, null, null, null, null, null);
        }

        public AttributeRule withRequired() {
            return new AttributeRule(type, true, pattern, choices, min, max, unique);
        }

        public AttributeRule withUnique() {
            return new AttributeRule(type, required, pattern, choices, min, max, true);
        }

        public AttributeRule withPattern(String regularExpression) {
            return new AttributeRule(type, required, regularExpression, choices, min, max, unique);
        }

        public AttributeRule withChoices(String... values) {
            return new AttributeRule(type, required, pattern, List.of(values), min, max, unique);
        }

        public AttributeRule withRange(long least, long greatest) {
            return new AttributeRule(type, required, pattern, choices, BigDecimal.valueOf(least), BigDecimal.valueOf(greatest), unique);
        }
    }

    /** An attribute rule an entity of the type breaks. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Violation(String entity, String attribute, String rule) {
    }
}
