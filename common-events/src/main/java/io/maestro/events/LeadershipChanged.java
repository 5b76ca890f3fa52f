package io.maestro.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/**
 * A change of the holder of a group's leadership ({@code key == null}) or of one key of the group.
 * {@code fencingToken} strictly increases per group and per key.
 */
public record LeadershipChanged(
        String eventId,
        Instant occurredAt,
        String group,
        String key,
        String leader,
        String previousLeader,
        @JsonProperty(required = true) long fencingToken,
        Reason reason,
        String actor) implements MaestroEvent {

    public LeadershipChanged {
        Require.text(eventId, "eventId");
        Require.present(occurredAt, "occurredAt");
        Require.name(group, "group");
        Require.nonNegative(fencingToken, "fencingToken");
        Require.present(reason, "reason");
    }

    /** {@code group} for the group seat, {@code group/key} for a key. */
    @Override
    public String subject() {
        return key == null ? group : group + "/" + key;
    }

    public enum Reason { ELECTED, RESIGNED, EXPIRED, REBALANCED }
}
