package io.maestro.inventory.entity;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An attribute as a caller sends it. {@code type} is optional: a JSON string is a string, an integral number
 * an integer, another number a decimal, true/false a boolean; {@code timestamp} and {@code reference}
 * (the value is the other entity's name) must be named.
 */
public record AttributeInput(String key, String subkey, Integer number, JsonNode value, String type) {
}
