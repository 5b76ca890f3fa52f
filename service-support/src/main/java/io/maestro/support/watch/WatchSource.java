package io.maestro.support.watch;

import io.smallrye.mutiny.Uni;

import java.util.List;

/**
 * Where a {@link WatchHub} reads: a log of events per key (a service, a group, a command), in order. Implementations
 * must not block the calling thread (it may be a Vert.x event loop): use a reactive client.
 */
public interface WatchSource {
    /**
     * The events of {@code key} after {@code cursor}, in log order, at most {@code limit}.
     *
     * @param cursor where the watcher is; null for a watcher that gave none (the source decides where it starts:
     *               from now, from the first event, or with a snapshot)
     */
    Uni<Page> read(String key, String cursor, int limit);

    /**
     * What a read found.
     *
     * @param events the events to send, in order
     * @param cursor where the watcher is after them (may be past the last event, e.g. past other keys' entries)
     * @param more   whether the log may hold more after {@code cursor} right now (read again at once)
     */
    record Page(List<WatchEvent> events, String cursor, boolean more) {
        public static Page of(List<WatchEvent> events, String cursorWhenEmpty, int limit) {
            return new Page(events, events.isEmpty() ? cursorWhenEmpty : events.get(events.size() - 1).cursor(), events.size() >= limit);
        }
    }
}
