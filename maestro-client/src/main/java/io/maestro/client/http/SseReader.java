package io.maestro.client.http;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads a {@code text/event-stream} as the WHATWG specification parses it, one event at a time: {@code data:} lines
 * joined by newlines, one leading space of a value dropped, comment lines ({@code :} keep-alives) and unknown fields
 * skipped, an event without data not dispatched. The one parser of the SDK and the CLI; {@code onLine} is told of every
 * line read, comments included, so a follower can tell a live but quiet stream from a dead one.
 */
public final class SseReader implements Closeable {
    private final BufferedReader lines;
    private final Runnable onLine;

    public SseReader(InputStream stream) {
        this(stream, () -> { });
    }

    public SseReader(InputStream stream, Runnable onLine) {
        this.lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
        this.onLine = onLine;
    }

    /** The next event, or null when the stream ended (an event cut off by the end is not dispatched). */
    public SseEvent next() throws IOException {
        String id = null;
        String event = null;
        StringBuilder data = null;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            onLine.run();
            if (line.isEmpty()) {
                if (data != null) {
                    return new SseEvent(id, event == null ? "message" : event, data.toString());
                }
                id = null;
                event = null;
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                case "event" -> event = value;
                case "id" -> id = value.indexOf('\u0000') < 0 ? value : id;
                default -> {
                    // "retry" and unknown fields: nothing to do
                }
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
