package io.maestro.client.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import io.maestro.client.TrustedCertificates;
import io.maestro.events.EventCodec;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The one HTTP transport of the SDK and the CLI to a service of the suite: JSON in and out, the bearer token on every
 * request, a problem+json answer turned into a {@link MaestroApiException}, and Server-Sent Events opened with
 * {@code Last-Event-ID} (read them with {@link SseReader}). Given several base URLs (replicas of one service), a
 * request that cannot reach one goes to the next, and later requests stay with the one that answered; so only
 * requests that are safe to send twice should be sent to several.
 */
public final class ServiceHttp {
    private static final ObjectMapper JSON = EventCodec.mapper();

    private final String service;
    /** As given, for messages. */
    private final List<URI> given;
    /** With a trailing slash, to resolve paths against. */
    private final List<URI> bases;
    private final HttpClient client;
    private final Duration timeout;
    private final String authorization;
    private final Retries retries;
    private final AtomicInteger current = new AtomicInteger();

    /**
     * @param service     the service's name, for messages ({@code registry-service})
     * @param bases       one or more base URLs; a path is resolved against the base with a trailing slash added
     * @param timeout     of each request until its answer's headers (an event stream's body may last for ever)
     * @param bearerToken the token every request carries; null: none (the service answers 401)
     */
    public ServiceHttp(String service, List<URI> bases, HttpClient client, Duration timeout, String bearerToken) {
        this(service, bases, client, timeout, bearerToken, Retries.none());
    }

    /** As above, sending {@link #call} and {@link #send} again as {@code retries} says (never {@link #sendAsync} nor event streams). */
    public ServiceHttp(String service, List<URI> bases, HttpClient client, Duration timeout, String bearerToken, Retries retries) {
        if (bases.isEmpty()) {
            throw new IllegalArgumentException("at least one base URL of " + service + " is needed");
        }
        this.service = service;
        this.given = List.copyOf(bases);
        this.bases = bases.stream().map(base -> {
            String text = base.toString();
            return URI.create(text.endsWith("/") ? text : text + "/");
        }).toList();
        this.client = client;
        this.timeout = timeout;
        this.authorization = bearerToken == null ? null : "Bearer " + bearerToken;
        this.retries = retries;
    }

    public String service() {
        return service;
    }

    /** The base URL that answered last (the first one until then), as given. */
    public URI current() {
        return given.get(current.get());
    }

    /** A path segment encoded for a URL: a space is {@code %20}, not {@code +}, which a path keeps as a plus. */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    public JsonNode get(String path) {
        return call("GET", path, null, Map.of());
    }

    public JsonNode post(String path, Object body) {
        return call("POST", path, body, Map.of());
    }

    public JsonNode put(String path, Object body) {
        return call("PUT", path, body, Map.of());
    }

    public JsonNode delete(String path) {
        return call("DELETE", path, null, Map.of());
    }

    /**
     * Sends {@code method path} with {@code body} as JSON (null: none) and {@code headers}; answers the JSON of a 2xx
     * (an empty object when it had no body) or throws {@link MaestroApiException}: the problem of a 4xx/5xx, status 0
     * when no base URL could be reached.
     */
    public JsonNode call(String method, String path, Object body, Map<String, String> headers) {
        return json(answered(() -> send(method, path, body, headers)));
    }

    /**
     * PUTs {@code content} as {@code application/octet-stream} (a file to copy) and answers the JSON of a 2xx, or throws
     * {@link MaestroApiException} like {@link #call}; sent again on another base URL only when nothing answered.
     */
    public JsonNode putBytes(String path, byte[] content) {
        return sendBytes("PUT", path, "application/octet-stream", content);
    }

    /**
     * Sends {@code content} of {@code contentType} (a file: CSV, YAML, bytes to copy) and answers the JSON of a 2xx, or
     * throws {@link MaestroApiException} like {@link #call}; sent again on another base URL only when nothing answered.
     */
    public JsonNode sendBytes(String method, String path, String contentType, byte[] content) {
        return json(answered(() -> exchange(base -> request(base, path).header("Accept", "application/json")
                .header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofByteArray(content)).build(),
                HttpResponse.BodyHandlers.ofString())));
    }

    /**
     * A document that is not JSON ({@code accept}: {@code image/svg+xml} for a rack's drawing): its text, or the
     * problem of a 4xx/5xx as a {@link MaestroApiException}, like {@link #call}.
     */
    public String getText(String path, String accept) {
        return answered(() -> exchange(base -> request(base, path).header("Accept", accept).GET().build(),
                HttpResponse.BodyHandlers.ofString())).body();
    }

    private interface Exchange {
        HttpResponse<String> run() throws IOException, InterruptedException;
    }

    /** The response of a 2xx; else the problem of a 4xx/5xx, or that nothing answered, as a {@link MaestroApiException}. */
    private HttpResponse<String> answered(Exchange exchange) {
        HttpResponse<String> response;
        try {
            response = exchange.run();
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MaestroApiException("interrupted while waiting for " + service, e);
        }
        if (response.statusCode() >= 400) {
            throw problem(response.statusCode(), response.body());
        }
        return response;
    }

    /** An answer (or part of one) as {@code type}; a shape this client cannot read is a {@link MaestroApiException} saying so. */
    public <T> T read(JsonNode json, Class<T> type) {
        try {
            return JSON.treeToValue(json, type);
        } catch (IOException e) {
            throw new MaestroApiException(service + " answered a " + type.getSimpleName() + " this client cannot read: " + e.getMessage(), e);
        }
    }

    /** The items of a JSON array (or of a page's {@code items}) as {@code type}. */
    public <T> List<T> readList(JsonNode array, Class<T> type) {
        List<T> list = new ArrayList<>();
        for (JsonNode item : array.isArray() ? array : array.path("items")) {
            list.add(read(item, type));
        }
        return List.copyOf(list);
    }

    /** The JSON of an answer (an empty object when it had no body). */
    private JsonNode json(HttpResponse<String> response) {
        try {
            return response.body() == null || response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new MaestroApiException(service + " answered " + response.statusCode() + " with unreadable JSON", e);
        }
    }

    /**
     * As {@link #call}, but answers whatever the service answered, for a caller that acts on the status itself (the
     * election client's lease handling); {@link #problem} reads an error's body.
     */
    public HttpResponse<String> send(String method, String path, Object body, Map<String, String> headers)
            throws IOException, InterruptedException {
        Function<URI, HttpRequest> request = request(method, path, body, headers);
        if (retries.maxRetries() == 0) {
            return exchange(request, HttpResponse.BodyHandlers.ofString());
        }
        try {
            return Failsafe.with(retries.<String>policy(method)).get(() -> exchange(request, HttpResponse.BodyHandlers.ofString()));
        } catch (FailsafeException e) {
            // the last attempt's checked failure, as exchange would have thrown it
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            throw e;
        }
    }

    /** {@link #send} without blocking: the same failover, the failure an {@link IOException} when nothing answered. */
    public CompletableFuture<HttpResponse<String>> sendAsync(String method, String path, Object body, Map<String, String> headers) {
        return attempt(current.get(), 0, request(method, path, body, headers));
    }

    private CompletableFuture<HttpResponse<String>> attempt(int first, int tried, Function<URI, HttpRequest> request) {
        int index = (first + tried) % bases.size();
        return client.sendAsync(request.apply(bases.get(index)), HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> {
                    current.compareAndSet(first, index);
                    return response;
                })
                .exceptionallyCompose(failure -> {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                    return cause instanceof IOException && tried + 1 < bases.size() ? attempt(first, tried + 1, request)
                            : CompletableFuture.failedFuture(cause);
                });
    }

    private Function<URI, HttpRequest> request(String method, String path, Object body, Map<String, String> headers) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(EventCodec.encode(body));
        return base -> {
            HttpRequest.Builder request = request(base, path).header("Accept", "application/json").method(method, publisher);
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            headers.forEach(request::header);
            return request.build();
        };
    }

    /**
     * Opens an event stream ({@code Accept: text/event-stream}, {@code Last-Event-ID} when not null); the caller reads
     * the body with {@link SseReader} and closes it. A 4xx/5xx is a {@link MaestroApiException}; an unreachable
     * service an {@link IOException}, which a follower meets again on a dropped stream and answers by reopening.
     */
    public InputStream openEvents(String path, String lastEventId) throws IOException, InterruptedException {
        return openEvents(path, lastEventId, timeout);
    }

    /** As {@link #openEvents(String, String)}, waiting for the stream's headers at most {@code headers} (null: no limit). */
    public InputStream openEvents(String path, String lastEventId, Duration headers) throws IOException, InterruptedException {
        return events(base -> {
            HttpRequest.Builder request = resolve(base, path, headers).header("Accept", "text/event-stream").GET();
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            return request.build();
        });
    }

    /**
     * POSTs {@code body} and opens the answer as an event stream (an operation that streams its results), waiting for
     * the stream's headers at most {@code headers}; read it with {@link SseReader} and close it. Not retried: the
     * body's idempotency key makes a caller's own retry safe.
     */
    public InputStream postForEvents(String path, Object body, Duration headers) throws IOException, InterruptedException {
        byte[] json = EventCodec.encode(body);
        return events(base -> resolve(base, path, headers).header("Accept", "text/event-stream").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build());
    }

    private InputStream events(Function<URI, HttpRequest> request) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = exchange(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() >= 400) {
            String body;
            try (InputStream stream = response.body()) {
                body = new String(stream.readNBytes(64 * 1024), StandardCharsets.UTF_8);
            }
            throw problem(response.statusCode(), body);
        }
        return response.body();
    }

    /** The exception for a failure to reach any base URL: a TLS refusal says so, it is not an outage. */
    public MaestroApiException unreachable(IOException e) {
        String why = TrustedCertificates.describe(e);
        String where = given.size() == 1 ? " at " + given.get(0) : " at any of " + given;
        return new MaestroApiException(why.startsWith("TLS") ? service + where + ": " + why
                : "cannot reach " + service + where + " (" + why + ")", e);
    }

    /** Whether a failure is "nothing listens there" rather than a refusal of the connection by TLS or the like. */
    public static boolean nothingListens(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    /** A 4xx/5xx answer as the exception: its problem+json read when it is one, else the body as the detail. */
    public MaestroApiException problem(int status, String body) {
        String title = null;
        String detail = body == null || body.isBlank() ? null : body.strip().replaceAll("\\s+", " ");
        List<MaestroApiException.FieldError> errors = new ArrayList<>();
        try {
            JsonNode problem = body == null ? null : JSON.readTree(body);
            if (problem != null && problem.isObject()) {
                title = problem.path("title").isTextual() ? problem.get("title").asText() : null;
                detail = problem.path("detail").isTextual() ? problem.get("detail").asText() : null;
                for (JsonNode error : problem.path("errors")) {
                    errors.add(new MaestroApiException.FieldError(error.path("field").asText(null), error.path("rule").asText(null)));
                }
            }
        } catch (IOException | RuntimeException notJson) {
            // not problem+json: the body is the detail
        }
        if (detail != null && detail.length() > 1000) {
            detail = detail.substring(0, 1000) + "...";
        }
        String message = service + ": " + (title == null ? "HTTP " + status : title) + (detail == null ? "" : ": " + detail);
        return new MaestroApiException(status, title, detail, errors, message, null);
    }

    /**
     * Sends to the current base URL, and on to the others in turn while one cannot be reached; the first that answers
     * (with any status) becomes current.
     */
    private <T> HttpResponse<T> exchange(Function<URI, HttpRequest> request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        int first = current.get();
        IOException unreachable = null;
        for (int i = 0; i < bases.size(); i++) {
            int index = (first + i) % bases.size();
            try {
                HttpResponse<T> response = client.send(request.apply(bases.get(index)), handler);
                current.compareAndSet(first, index);
                return response;
            } catch (IOException e) {
                if (unreachable != null) {
                    e.addSuppressed(unreachable);
                }
                unreachable = e;
            }
        }
        throw unreachable;
    }

    private HttpRequest.Builder request(URI base, String path) {
        return resolve(base, path, timeout);
    }

    private HttpRequest.Builder resolve(URI base, String path, Duration limit) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path.startsWith("/") ? path.substring(1) : path));
        if (limit != null) {
            request.timeout(limit);
        }
        return authorization == null ? request : request.header("Authorization", authorization);
    }
}
