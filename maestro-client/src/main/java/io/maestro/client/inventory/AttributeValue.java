package io.maestro.client.inventory;

import java.util.Objects;

/**
 * An attribute value to write: {@code key}, an optional {@code subkey} ({@code nic.eth0}) and its value (a number,
 * boolean or text; numbers compare as numbers in queries).
 */
public record AttributeValue(String key, String subkey, Object value) {
    public AttributeValue {
        Objects.requireNonNull(key, "key");
    }

    public static AttributeValue of(String key, Object value) {
        return new AttributeValue(key, null, value);
    }
}
