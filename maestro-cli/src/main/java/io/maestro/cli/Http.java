package io.maestro.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.client.TrustedCertificates;
import io.maestro.events.EventCodec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * JSON over HTTP to a service, with the caller's bearer token on every request (REST and Server-Sent Events alike);
 * a problem+json answer becomes a one-line {@link CliException}.
 */
public final class Http {
    private final String service;
    private final URI base;
    private final Credentials.Token token;
    private final HttpClient client;

    /**
     * @param token  what to send as {@code Authorization: Bearer}; null: nothing (the service answers 401)
     * @param client the command's client, whose TLS trusts {@code --ca-cert} / {@code MAESTRO_CA_CERT} (see
     *               {@link Endpoints#httpClient()})
     */
    public Http(String service, URI base, Credentials.Token token, HttpClient client) {
        this.service = service;
        this.base = base;
        this.token = token;
        this.client = client;
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        return token == null ? request : request.header("Authorization", "Bearer " + token.value());
    }

    public static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public JsonNode get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    public JsonNode post(String path, Object body) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json(body))));
    }

    public JsonNode put(String path, Object body) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json(body))));
    }

    public JsonNode delete(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
    }

    private static String json(Object body) {
        try {
            return EventCodec.mapper().writeValueAsString(body);
        } catch (IOException e) {
            throw new CliException("cannot encode request: " + e.getMessage());
        }
    }

    public JsonNode send(HttpRequest.Builder request) {
        HttpResponse<String> response;
        try {
            response = client.send(authorized(request).timeout(Duration.ofSeconds(30)).header("Accept", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw unreachable();
        } catch (IOException e) {
            throw new CliException(service + " at " + base + ": " + TrustedCertificates.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
        if (response.statusCode() >= 400) {
            throw problem(response.statusCode(), response.body());
        }
        return response.body().isBlank() ? null : read(response.body());
    }

    /** Reads a Server-Sent Events stream, handing each event's data to {@code onData} until the stream ends. */
    public void stream(String path, Consumer<String> onData) {
        streamWhile(path, data -> {
            onData.accept(data);
            return true;
        });
    }

    /** As {@link #stream}, until {@code onData} answers false or the stream ends. */
    public void streamWhile(String path, Predicate<String> onData) {
        HttpResponse<Stream<String>> response;
        try {
            response = client.send(authorized(HttpRequest.newBuilder(base.resolve(path))).header("Accept", "text/event-stream").GET().build(),
                    HttpResponse.BodyHandlers.ofLines());
        } catch (ConnectException e) {
            throw unreachable();
        } catch (IOException e) {
            throw new CliException(service + " at " + base + ": " + TrustedCertificates.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (response.statusCode() >= 400) {
            throw problem(response.statusCode(), String.join("\n", response.body().toList()));
        }
        StringBuilder data = new StringBuilder();
        try (Stream<String> lines = response.body()) {
            Iterator<String> iterator = lines.iterator();
            while (iterator.hasNext()) {
                String line = iterator.next();
                if (line.startsWith("data:")) {
                    data.append(line.substring(5).stripLeading());
                } else if (line.isEmpty() && data.length() > 0) {
                    boolean more = onData.test(data.toString());
                    data.setLength(0);
                    if (!more) {
                        return;
                    }
                }
            }
        } catch (UncheckedIOException e) {
            throw new CliException(service + " closed the stream: " + e.getCause().getMessage());
        }
    }

    private CliException unreachable() {
        return new CliException("cannot reach " + service + " at " + base + " (is it running? ./maestro up, or set --"
                + service.replace("-service", "") + "-url)");
    }

    private CliException problem(int status, String body) {
        String hint = status == 401 ? " (" + unauthorizedHint() + ")" : "";
        try {
            JsonNode problem = read(body);
            String title = problem.path("title").asText("HTTP " + status);
            String detail = problem.path("detail").asText("");
            return new CliException(service + ": " + title + (detail.isEmpty() ? "" : ": " + detail) + hint);
        } catch (RuntimeException notJson) {
            return new CliException(service + ": HTTP " + status + hint);
        }
    }

    /** How to get a token the services take: what a 401 adds to the service's own words. */
    private String unauthorizedHint() {
        if (token == null) {
            return "no token was sent: pass --token, set MAESTRO_TOKEN or put token=... in ~/.maestro/config; "
                    + "./maestro up writes a local admin token the CLI uses by itself; mint one with: maestro token create";
        }
        return "the token from " + token.source() + " was refused; get a valid one from whoever runs the suite, "
                + "who mints it with: maestro token create";
    }

    public static JsonNode read(String json) {
        try {
            return EventCodec.mapper().readTree(json);
        } catch (IOException e) {
            throw new CliException("unreadable answer: " + e.getMessage());
        }
    }
}
