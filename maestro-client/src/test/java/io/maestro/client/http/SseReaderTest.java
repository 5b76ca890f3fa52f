package io.maestro.client.http;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class SseReaderTest {
    private static List<SseEvent> read(String stream, AtomicInteger lines) throws IOException {
        List<SseEvent> events = new ArrayList<>();
        try (SseReader reader = new SseReader(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)), lines::incrementAndGet)) {
            for (SseEvent event = reader.next(); event != null; event = reader.next()) {
                events.add(event);
            }
        }
        return events;
    }

    @Test
    void eventsCarryTheirIdTypeAndDataLinesJoinedByNewlines() throws IOException {
        List<SseEvent> events = read("""
                id: 7
                event: change
                data: {"a":
                data:1}

                data:plain

                """, new AtomicInteger());
        assertThat(events).containsExactly(new SseEvent("7", "change", "{\"a\":\n1}"), new SseEvent(null, "message", "plain"));
    }

    @Test
    void commentsAreSkippedButCountAsLinesRead() throws IOException {
        AtomicInteger lines = new AtomicInteger();
        List<SseEvent> events = read(": keep-alive\n\n: keep-alive\n\nevent: snapshot\ndata: {}\n\n", lines);
        assertThat(events).containsExactly(new SseEvent(null, "snapshot", "{}"));
        assertThat(lines.get()).isEqualTo(7);
    }

    @Test
    void onlyOneLeadingSpaceOfAValueIsDroppedAndUnknownFieldsAreIgnored() throws IOException {
        assertThat(read("retry: 10\nfoo: bar\ndata:  two spaces\n\n", new AtomicInteger()))
                .containsExactly(new SseEvent(null, "message", " two spaces"));
    }

    @Test
    void anEventWithoutDataIsNotDispatchedAndAnEventCutOffByTheEndIsDropped() throws IOException {
        assertThat(read("event: nothing\nid: 3\n\ndata: cut", new AtomicInteger())).isEmpty();
    }

    @Test
    void anIdWithANulCharacterIsIgnoredAsTheSpecificationSays() throws IOException {
        assertThat(read("id: 1\u00002\ndata: x\n\n", new AtomicInteger())).containsExactly(new SseEvent(null, "message", "x"));
    }
}
