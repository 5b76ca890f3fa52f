package io.maestro.events;

import java.util.Set;

/**
 * The words for a registered instance's health and state, and the one rule that says whether it should get traffic
 * (the registry's {@code ?healthy=true}, the SDK's healthy-only {@code use}). Health comes from the checks the
 * registry runs (none: {@code null}); the state is set by its owner or an operator (drain, maintenance).
 */
public final class InstanceHealth {
    /** Every check of the instance passed its last probe. */
    public static final String PASSING = "passing";
    /** A check failed its last probe, or was not probed yet. */
    public static final String CRITICAL = "critical";

    /** Serving (the state of every new registration). */
    public static final String ACTIVE = "active";
    /** Finishing its work: no new traffic. */
    public static final String DRAINING = "draining";
    /** Out of service on purpose. */
    public static final String MAINTENANCE = "maintenance";
    public static final Set<String> STATES = Set.of(ACTIVE, DRAINING, MAINTENANCE);

    private InstanceHealth() {
    }

    /** Whether an instance with this health (null: no checks) and state (null: active) should get traffic. */
    public static boolean serving(String health, String state) {
        return !CRITICAL.equals(health) && (state == null || ACTIVE.equals(state));
    }
}
