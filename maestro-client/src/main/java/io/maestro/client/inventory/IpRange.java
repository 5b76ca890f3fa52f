package io.maestro.client.inventory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A range of IP addresses that entities get addresses from ({@code 10.0.0.0/24}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record IpRange(String name, String cidr) {
}
