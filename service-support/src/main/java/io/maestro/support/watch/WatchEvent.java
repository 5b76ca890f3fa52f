package io.maestro.support.watch;

/**
 * One event of a watched log as a watcher receives it.
 *
 * @param cursor the position of the event in its log: the SSE event id, which a watcher resumes after
 * @param name   the SSE event name, or null for unnamed events
 * @param json   the event's data (JSON, sent as is)
 * @param last   whether the watch ends after this event (e.g. a command that finished)
 */
public record WatchEvent(String cursor, String name, String json, boolean last) {
    public WatchEvent(String cursor, String name, String json) {
        this(cursor, name, json, false);
    }
}
