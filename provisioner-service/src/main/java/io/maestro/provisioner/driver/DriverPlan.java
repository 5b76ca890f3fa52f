package io.maestro.provisioner.driver;

import java.util.List;

/**
 * What a driver would do to launch a group, for a dry run: the calls it would make at its provider, in order, and
 * what it would run the nodes on, to price them. {@code instanceType} null with {@code free}: nothing to pay (local
 * nodes); null without: the driver cannot say.
 */
public record DriverPlan(List<String> calls, String instanceType, boolean free) {
    public DriverPlan {
        calls = List.copyOf(calls);
    }

    public static DriverPlan free(List<String> calls) {
        return new DriverPlan(calls, null, true);
    }
}
