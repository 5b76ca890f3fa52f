package io.maestro.client.http;

/**
 * One Server-Sent Event: {@code id} (null when the event set none), {@code event} (its type; "message" when unnamed, as
 * the specification says) and {@code data} (its data lines joined by newlines).
 */
public record SseEvent(String id, String event, String data) {
}
