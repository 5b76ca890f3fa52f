package io.maestro.client.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.events.EventCodec;

import io.maestro.client.TrustedCertificates;
import io.maestro.client.http.SseEvent;
import io.maestro.client.http.SseReader;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Follows one service through {@code GET /v1/services/{service}/watch}, on its own thread. After a disconnect it
 * resumes from the last revision it saw ({@code afterRevision}), so the registry replays what it missed (or sends
 * a snapshot when that is too old); every list is handed on once, in revision order. A stream silent for longer
 * than the idle timeout (the registry sends a comment line every 15 s) is considered dead and reopened.
 */
final class ServiceWatch {
    private static final System.Logger LOG = System.getLogger(ServiceWatch.class.getName());
    private static final ObjectMapper JSON = EventCodec.mapper();
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final String service;
    private final RegistryHttp http;
    private final Duration idleTimeout;
    private final Duration initialBackoff;
    private final BiConsumer<Long, List<Instance>> onList;
    private final Thread thread;

    private volatile boolean running = true;
    private volatile InputStream body;
    private volatile long lastActivityNanos = System.nanoTime();
    /** The registry's last event of a stream that ended because this client read too slowly. */
    static final String FELL_BEHIND = "fell-behind";

    private volatile long revision = -1;
    private boolean resumeAtOnce;
    private volatile List<Instance> instances = List.of();
    private volatile boolean known;
    private volatile int connections;

    /** @param onList told (revision, whole list) for each new revision, on this watch's thread */
    ServiceWatch(String service, RegistryHttp http, Duration idleTimeout, Duration initialBackoff, BiConsumer<Long, List<Instance>> onList) {
        this.service = service;
        this.http = http;
        this.idleTimeout = idleTimeout;
        this.initialBackoff = initialBackoff;
        this.onList = onList;
        this.thread = new Thread(this::run, "maestro-watch-" + service);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    String service() {
        return service;
    }

    /** Whether a list was received at least once. */
    boolean known() {
        return known;
    }

    long revision() {
        return revision;
    }

    List<Instance> instances() {
        return instances;
    }

    /** How many times the stream was opened. */
    int connections() {
        return connections;
    }

    /** Closes a stream that stayed silent too long (called periodically). */
    void checkIdle() {
        InputStream current = body;
        if (current != null && System.nanoTime() - lastActivityNanos > idleTimeout.toNanos()) {
            LOG.log(System.Logger.Level.INFO, "watch of {0} silent for more than {1} ms: reconnecting", service, idleTimeout.toMillis());
            closeQuietly(current);
            // A read blocked on a dead connection wakes up on interruption (the loop then reconnects).
            thread.interrupt();
        }
    }

    void stop() {
        running = false;
        InputStream current = body;
        if (current != null) {
            closeQuietly(current);
        }
        thread.interrupt();
    }

    private void run() {
        Duration backoff = initialBackoff;
        while (running) {
            try {
                InputStream stream = http.watch(service, revision >= 0 ? revision : null);
                connections++;
                backoff = initialBackoff;
                body = stream;
                lastActivityNanos = System.nanoTime();
                read(stream);
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
            } catch (IOException | RuntimeException e) {
                if (running) {
                    String why = e instanceof IOException io ? TrustedCertificates.describe(io) : e.getMessage();
                    // A TLS refusal does not heal by retrying: it is worth a warning, a dropped stream is not.
                    LOG.log(why.startsWith("TLS") ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
                            "watch of {0} interrupted ({1}); resuming after revision {2}", service, why, revision);
                }
            } finally {
                InputStream current = body;
                body = null;
                if (current != null) {
                    closeQuietly(current);
                }
            }
            if (!running) {
                return;
            }
            Thread.interrupted(); // an idle-check interruption only meant "reconnect"
            if (resumeAtOnce) {
                resumeAtOnce = false;
                continue;
            }
            try {
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                if (!running) {
                    return;
                }
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    private void read(InputStream stream) throws IOException {
        // "id:" repeats the revision carried in the data; ":" lines are keep-alive comments, which count as activity
        SseReader events = new SseReader(stream, () -> lastActivityNanos = System.nanoTime());
        for (SseEvent event = events.next(); running && event != null; event = events.next()) {
            handle(event.event(), event.data());
        }
    }

    private void handle(String event, String data) throws IOException {
        if (FELL_BEHIND.equals(event)) {
            // this client read too slowly and the registry ended the stream: resume after `revision` at once
            resumeAtOnce = true;
            return;
        }
        JsonNode node = JSON.readTree(data);
        long next = node.path("revision").asLong(-1);
        if (next < 0) {
            return;
        }
        boolean snapshot = "snapshot".equals(event);
        if (!snapshot && !"change".equals(event)) {
            return;
        }
        // A snapshot behind what was seen means the registry lost its data and started over: take it.
        if (next <= revision && !(snapshot && next < revision)) {
            return;
        }
        List<Instance> list = parseInstances(node.path("instances"));
        revision = next;
        instances = list;
        known = true;
        onList.accept(next, list);
    }

    private static List<Instance> parseInstances(JsonNode array) {
        List<Instance> list = new ArrayList<>();
        for (JsonNode i : array) {
            Map<String, String> attributes = new java.util.LinkedHashMap<>();
            i.path("attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
            list.add(new Instance(i.path("instanceId").asText(), i.path("endpoint").asText(), attributes,
                    instant(i.path("registeredAt")), instant(i.path("expiresAt")), text(i.path("health")),
                    text(i.path("healthOutput")), text(i.path("state"))));
        }
        return List.copyOf(list);
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
    }

    private static Instant instant(JsonNode node) {
        return node.isTextual() ? Instant.parse(node.asText()) : null;
    }

    private static void closeQuietly(InputStream stream) {
        try {
            stream.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
