package io.maestro.client.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.client.http.MaestroApiException;
import io.maestro.client.http.ServiceHttp;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry-service's REST calls (DESIGN.md section 5) on the SDK's one transport ({@link ServiceHttp}). Given
 * several registry URLs (replicas sharing one Redis, so tokens hold on each), a call that cannot reach one goes to the
 * next, and later calls stay with the one that answered; every call here is idempotent, so that is safe.
 */
final class RegistryHttp {
    static final String TOKEN_HEADER = "X-Maestro-Token";

    private final ServiceHttp http;

    /**
     * {@code bases}: one or more, as {@link Maestro#builder(List)} checks; {@code bearerToken}: the suite token every
     * request carries (null: none).
     */
    RegistryHttp(HttpClient client, List<URI> bases, Duration timeout, String bearerToken) {
        this(new ServiceHttp("registry-service", bases, client, timeout, bearerToken));
    }

    /** The calls on a transport made elsewhere ({@link Registry}'s). */
    RegistryHttp(ServiceHttp http) {
        this.http = http;
    }

    /** What a registration returned. */
    record Registered(String token, long revision, int ttlSeconds) {
    }

    Registered register(String service, String instanceId, String endpoint, Map<String, String> attributes, int ttlSeconds, String token) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("endpoint", endpoint);
        body.put("attributes", attributes);
        body.put("ttlSeconds", ttlSeconds);
        JsonNode answer = call("register " + instanceId + " under " + service, "PUT", instancePath(service, instanceId), body,
                token == null ? Map.of() : Map.of(TOKEN_HEADER, token));
        return new Registered(answer.path("token").asText(), answer.path("revision").asLong(), answer.path("ttlSeconds").asInt(ttlSeconds));
    }

    void heartbeat(String service, String instanceId, String token) {
        call("heartbeat of " + instanceId + " under " + service, "PUT", instancePath(service, instanceId) + "/heartbeat", null,
                Map.of(TOKEN_HEADER, token));
    }

    void deregister(String service, String instanceId, String token) {
        call("deregister " + instanceId + " from " + service, "DELETE", instancePath(service, instanceId), null, Map.of(TOKEN_HEADER, token));
    }

    /** Opens the watch stream of a service; the caller reads it ({@link io.maestro.client.http.SseReader}) and closes it. */
    InputStream watch(String service, Long afterRevision) throws IOException, InterruptedException {
        return http.openEvents("v1/services/" + ServiceHttp.segment(service) + "/watch" + (afterRevision == null ? "" : "?afterRevision=" + afterRevision), null);
    }

    private JsonNode call(String what, String method, String path, Object body, Map<String, String> headers) {
        try {
            return http.call(method, path, body, headers);
        } catch (MaestroApiException e) {
            throw new MaestroException(what, e);
        }
    }

    private static String instancePath(String service, String instanceId) {
        return "v1/services/" + ServiceHttp.segment(service) + "/instances/" + ServiceHttp.segment(instanceId);
    }
}
