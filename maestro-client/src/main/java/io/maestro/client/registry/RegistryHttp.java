package io.maestro.client.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.client.TrustedCertificates;
import io.maestro.events.EventCodec;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The registry-service's REST calls (DESIGN.md section 5) over the JDK HTTP client. Given several registry URLs
 * (replicas sharing one Redis, so tokens hold on each), a call that cannot reach one goes to the next, and later
 * calls stay with the one that answered.
 */
final class RegistryHttp {
    static final String TOKEN_HEADER = "X-Maestro-Token";
    private static final ObjectMapper JSON = EventCodec.mapper();

    private final HttpClient client;
    private final List<URI> bases;
    private final AtomicInteger current = new AtomicInteger();
    private final Duration timeout;
    private final String authorization;

    /**
     * {@code bases}: one or more, as {@link Maestro#builder(List)} checks; {@code bearerToken}: the suite token every
     * request carries (null: none).
     */
    RegistryHttp(HttpClient client, List<URI> bases, Duration timeout, String bearerToken) {
        this.client = client;
        this.bases = bases.stream().map(base -> {
            String text = base.toString();
            return URI.create(text.endsWith("/") ? text : text + "/");
        }).toList();
        this.timeout = timeout;
        this.authorization = bearerToken == null ? null : "Bearer " + bearerToken;
    }

    /** What a registration returned. */
    record Registered(String token, long revision, int ttlSeconds) {
    }

    Registered register(String service, String instanceId, String endpoint, Map<String, String> attributes, int ttlSeconds, String token) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("endpoint", endpoint);
        body.put("attributes", attributes);
        body.put("ttlSeconds", ttlSeconds);
        byte[] json = EventCodec.encode(body);
        JsonNode answer = send(base -> {
            HttpRequest.Builder request = request(base, instancePath(service, instanceId))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(json));
            if (token != null) {
                request.header(TOKEN_HEADER, token);
            }
            return request.build();
        }, "register " + instanceId + " under " + service);
        return new Registered(answer.path("token").asText(), answer.path("revision").asLong(), answer.path("ttlSeconds").asInt(ttlSeconds));
    }

    void heartbeat(String service, String instanceId, String token) {
        send(base -> request(base, instancePath(service, instanceId) + "/heartbeat").header(TOKEN_HEADER, token)
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), "heartbeat of " + instanceId + " under " + service);
    }

    void deregister(String service, String instanceId, String token) {
        send(base -> request(base, instancePath(service, instanceId)).header(TOKEN_HEADER, token).DELETE().build(),
                "deregister " + instanceId + " from " + service);
    }

    /** Opens the watch stream of a service; the caller reads and closes it. */
    HttpResponse<InputStream> watch(String service, Long afterRevision) throws IOException, InterruptedException {
        String path = "v1/services/" + encode(service) + "/watch" + (afterRevision == null ? "" : "?afterRevision=" + afterRevision);
        return exchange(base -> authorized(HttpRequest.newBuilder(base.resolve(path)).timeout(timeout))
                .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /**
     * Sends to the current registry, and on to the others in turn while one cannot be reached; the first that
     * answers (with any status) becomes current. Every call here is idempotent, so sending it again is safe.
     */
    private <T> HttpResponse<T> exchange(Function<URI, HttpRequest> request, HttpResponse.BodyHandler<T> body)
            throws IOException, InterruptedException {
        int first = current.get();
        IOException unreachable = null;
        for (int i = 0; i < bases.size(); i++) {
            int index = (first + i) % bases.size();
            try {
                HttpResponse<T> response = client.send(request.apply(bases.get(index)), body);
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
        return authorized(HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).header("Accept", "application/json"));
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        return authorization == null ? request : request.header("Authorization", authorization);
    }

    private static String instancePath(String service, String instanceId) {
        return "v1/services/" + encode(service) + "/instances/" + encode(instanceId);
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8);
    }

    private JsonNode send(Function<URI, HttpRequest> request, String what) {
        HttpResponse<String> response;
        try {
            response = exchange(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            String why = TrustedCertificates.describe(e);
            // A TLS refusal is not an outage: say which, so a missing CA is not mistaken for a down registry.
            throw new MaestroException(0, "cannot " + what + ": " + (why.startsWith("TLS") ? why : "registry unreachable (" + why + ")"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MaestroException(0, "interrupted while trying to " + what, e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            try {
                return response.body() == null || response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
            } catch (IOException e) {
                throw new MaestroException(status, "cannot " + what + ": unreadable answer", e);
            }
        }
        String detail = response.body();
        try {
            JsonNode problem = JSON.readTree(response.body());
            if (problem != null && problem.hasNonNull("detail")) {
                detail = problem.get("detail").asText();
            }
        } catch (IOException | RuntimeException ignored) {
            // not problem+json
        }
        throw new MaestroException(status, "cannot " + what + ": HTTP " + status + (detail == null || detail.isEmpty() ? "" : " " + detail));
    }
}
