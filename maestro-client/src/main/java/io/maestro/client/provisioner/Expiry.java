package io.maestro.client.provisioner;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** When a cluster expires: {@code ttl} and {@code expiresAt} null when it lives until destroyed. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Expiry(String name, String ttl, String expiresAt, String expiryCommandId) {
}
