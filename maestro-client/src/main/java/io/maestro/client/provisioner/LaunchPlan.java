package io.maestro.client.provisioner;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.math.BigDecimal;
import java.util.List;

/**
 * A dry run's plan: per group, the calls its driver would make and what its nodes would cost per hour; for the
 * cluster, the cost per hour (null when a group's price is unknown: {@code unpriced} names them) and over its ttl.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LaunchPlan(String commandId, String message, int nodes, String currency, BigDecimal costPerHour, String ttl,
                         BigDecimal costOverTtl, List<String> unpriced, List<GroupPlan> groups) {
    public LaunchPlan {
        unpriced = unpriced == null ? List.of() : List.copyOf(unpriced);
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    /** One group's part; {@code pricePerHour} and {@code costPerHour} null when nobody knows the price. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record GroupPlan(String tag, String driver, int count, String instanceType, BigDecimal pricePerHour, BigDecimal costPerHour,
                            String priceSource, List<String> calls) {
        public GroupPlan {
            calls = calls == null ? List.of() : List.copyOf(calls);
        }
    }
}
