package io.maestro.client.election;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.client.http.ServiceHttp;
import io.maestro.client.http.SseEvent;
import io.maestro.client.http.SseReader;
import io.maestro.events.EventCodec;
import io.maestro.events.LeadershipChanged;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * Follows a group's {@link LeadershipChanged} events ({@code GET /v1/groups/{g}/watch}) on its own daemon thread until
 * closed: a broken stream is reopened after the last event seen ({@code Last-Event-ID}), so none is lost, and one
 * the service ended because this reader was slow ({@value #FELL_BEHIND}) is reopened at once after the position it
 * names. The one follower of both {@link ElectionClient} (a candidate) and {@link Election} (an observer).
 */
final class GroupEvents implements AutoCloseable {
    /** The server's last event of a stream that ended because this client read too slowly (see the service's watch). */
    static final String FELL_BEHIND = "fell-behind";
    private static final ObjectMapper JSON = EventCodec.mapper();

    private final ServiceHttp transport;
    private final String path;
    private final Runnable onOpen;
    private final Consumer<LeadershipChanged> onEvent;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile InputStream stream;
    private volatile String lastEventId;

    /**
     * @param after   the event id to start after ({@code 0-0}: every event the service still keeps); null: from now
     * @param onOpen  run each time the stream is (re)opened, before its events: what happened while not watching
     * @param onEvent each event, in order, on this follower's thread
     */
    GroupEvents(ServiceHttp transport, String group, String after, String threadName, Runnable onOpen, Consumer<LeadershipChanged> onEvent) {
        this.transport = transport;
        this.path = "v1/groups/" + ServiceHttp.segment(group) + "/watch";
        this.lastEventId = after;
        this.onOpen = onOpen;
        this.onEvent = onEvent;
        this.thread = new Thread(this::follow, threadName);
        this.thread.setDaemon(true);
    }

    GroupEvents start() {
        // Build the event decoder now: done on the first event, it costs a young JVM tens of milliseconds.
        EventCodec.decode(EventCodec.encodeToString(new LeadershipChanged("warm-up", java.time.Instant.EPOCH, "warm-up", null,
                null, null, 0, LeadershipChanged.Reason.ELECTED, null)), LeadershipChanged.class);
        thread.start();
        return this;
    }

    @Override
    public void close() {
        stopped = true;
        InputStream current = stream;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                // closing ends the watch either way
            }
        }
        thread.interrupt();
    }

    private void follow() {
        while (!stopped) {
            boolean fellBehind = false;
            try {
                // no time limit: the service may send the stream's headers only with its first event or keep-alive
                InputStream opened = transport.openEvents(path, lastEventId, null);
                stream = opened;
                if (stopped) {
                    opened.close();
                    return;
                }
                onOpen.run();
                SseReader events = new SseReader(opened);
                for (SseEvent sse = events.next(); sse != null && !stopped; sse = events.next()) {
                    if (FELL_BEHIND.equals(sse.event())) {
                        fellBehind = true;
                        String resumeAfter = JSON.readTree(sse.data()).path("resumeAfter").asText(null);
                        lastEventId = resumeAfter != null ? resumeAfter : sse.id() != null ? sse.id() : lastEventId;
                    } else {
                        lastEventId = sse.id() != null ? sse.id() : lastEventId; // past it, even if it cannot be read
                        onEvent.accept(EventCodec.decode(sse.data(), LeadershipChanged.class));
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (stopped) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (fellBehind) {
                continue; // the service is fine: this client was slow; resume at once
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                if (stopped) {
                    return;
                }
            }
        }
    }
}
