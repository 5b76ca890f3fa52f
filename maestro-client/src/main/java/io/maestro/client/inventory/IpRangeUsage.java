package io.maestro.client.inventory;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.math.BigInteger;

/**
 * An IP range and how much of it is allocated: {@code hosts} addresses to hand out (an IPv6 range may hold more than
 * a long), {@code allocated} of them handed out, {@code utilisation} the share from 0 to 1.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record IpRangeUsage(String name, String cidr, BigInteger hosts, long allocated, double utilisation) {
}
