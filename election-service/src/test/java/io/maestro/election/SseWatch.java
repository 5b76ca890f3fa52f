package io.maestro.election;

import io.maestro.events.EventCodec;
import io.maestro.events.LeadershipChanged;
import io.maestro.support.testing.Tokens;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test helper: follows {@code GET /v1/groups/{group}/watch} and keeps every event with the time it arrived. */
final class SseWatch implements AutoCloseable {
    record Received(String id, LeadershipChanged event, long arrivedNanos) {
    }

    private final List<Received> events = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile InputStream body;
    private volatile int status;

    /** A watch with the test's admin token. */
    SseWatch(URI base, String group, String lastEventId) {
        this(base, group, lastEventId, Tokens.admin());
    }

    /** A watch with the given bearer token. */
    SseWatch(URI base, String group, String lastEventId, String bearerToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/v1/groups/" + group + "/watch"))
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + bearerToken);
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        java.util.concurrent.CountDownLatch opened = new java.util.concurrent.CountDownLatch(1);
        reader = new Thread(() -> {
            try {
                HttpResponse<InputStream> response = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
                status = response.statusCode();
                body = response.body();
                BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
                String id = null;
                StringBuilder data = new StringBuilder();
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith(":")) {
                        opened.countDown(); // the server's first comment: this watcher is registered
                    } else if (line.startsWith("id:")) {
                        id = line.substring(3).trim();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).trim());
                    } else if (line.isEmpty() && data.length() > 0) {
                        events.add(new Received(id, EventCodec.decode(data.toString(), LeadershipChanged.class), System.nanoTime()));
                        data.setLength(0);
                    }
                }
            } catch (Exception e) {
                opened.countDown();
            }
        }, "sse-watch-" + group);
        reader.setDaemon(true);
        reader.start();
        boolean registered;
        try {
            registered = opened.await(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening the watch of " + group, e);
        }
        // Events before the watcher is registered are not delivered: a watch that did not open must fail the test here.
        if (!registered || status != 200) {
            close();
            throw new IllegalStateException("the watch of " + group + " did not open (status " + status + ")");
        }
    }

    int status() {
        return status;
    }

    List<Received> events() {
        return events;
    }

    List<LeadershipChanged> changes() {
        return events.stream().map(Received::event).toList();
    }

    @Override
    public void close() {
        try {
            if (body != null) {
                body.close();
            }
        } catch (Exception e) {
            // closing the stream ends the reader
        }
        reader.interrupt();
    }
}
