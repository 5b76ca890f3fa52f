package io.maestro.election.messaging;

import io.maestro.events.LeadershipChanged;

import java.time.Instant;
import java.util.Map;

/**
 * The event logs the Lua transitions append to: the Redis stream {@code P{k}:_events} of each shard (ElectionKeys), one entry per
 * {@link LeadershipChanged}, in the order the transitions happened. The relay copies it to Kafka; watches read it.
 */
public final class LeadershipEventLog {
    /** An event with its stream entry id (the SSE event id a watch resumes from). */
    public record Entry(String id, LeadershipChanged event) {
    }

    private LeadershipEventLog() {
    }

    public static Entry entry(String id, Map<String, String> fields) {
        return new Entry(id, new LeadershipChanged(
                fields.get("id"),
                Instant.ofEpochMilli(Long.parseLong(fields.get("at"))),
                fields.get("group"),
                blankToNull(fields.get("key")),
                blankToNull(fields.get("leader")),
                blankToNull(fields.get("previous")),
                Long.parseLong(fields.get("token")),
                LeadershipChanged.Reason.valueOf(fields.get("reason")),
                blankToNull(fields.get("actor"))));
    }

    /** Orders stream ids ({@code <millis>-<sequence>}). */
    public static int compareIds(String a, String b) {
        int da = a.indexOf('-');
        int db = b.indexOf('-');
        int byTime = Long.compare(Long.parseLong(a.substring(0, da)), Long.parseLong(b.substring(0, db)));
        return byTime != 0 ? byTime : Long.compare(Long.parseLong(a.substring(da + 1)), Long.parseLong(b.substring(db + 1)));
    }

    /** Whether {@code id} has the form of a stream id. */
    public static boolean isId(String id) {
        return id != null && id.matches("\\d{1,19}-\\d{1,19}");
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
