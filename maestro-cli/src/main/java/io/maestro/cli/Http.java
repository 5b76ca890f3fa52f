package io.maestro.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.client.TrustedCertificates;
import io.maestro.client.http.MaestroApiException;
import io.maestro.client.http.Retries;
import io.maestro.client.http.ServiceHttp;
import io.maestro.client.http.SseEvent;
import io.maestro.client.http.SseReader;
import io.maestro.events.EventCodec;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A command's calls to one service, on the SDK's transport ({@link ServiceHttp}: JSON, the caller's bearer token on
 * every request and event stream, problem+json read); what fails becomes a one-line {@link CliException} in the CLI's
 * words, with a hint where one helps (a 401 says where a token comes from, an unreachable service how to start it).
 */
public final class Http {
    private final ServiceHttp http;
    private final Credentials.Token token;

    /**
     * @param token  what to send as {@code Authorization: Bearer}; null: nothing (the service answers 401)
     * @param client the command's client, whose TLS trusts {@code --ca-cert} / {@code MAESTRO_CA_CERT} (see
     *               {@link Endpoints#httpClient()})
     */
    public Http(String service, URI base, Credentials.Token token, HttpClient client) {
        this.http = new ServiceHttp(service, List.of(base), client, Duration.ofSeconds(30), token == null ? null : token.value(),
                Retries.standard());
        this.token = token;
    }

    /** A path segment or query value encoded for a URL ({@link ServiceHttp#segment}). */
    public static String encode(String value) {
        return ServiceHttp.segment(value);
    }

    public JsonNode get(String path) {
        return call("GET", path, null);
    }

    public JsonNode post(String path, Object body) {
        return call("POST", path, body);
    }

    public JsonNode put(String path, Object body) {
        return call("PUT", path, body);
    }

    public JsonNode delete(String path) {
        return call("DELETE", path, null);
    }

    private JsonNode call(String method, String path, Object body) {
        try {
            return http.call(method, path, body, Map.of());
        } catch (MaestroApiException e) {
            throw failure(e);
        }
    }

    /** Runs a call of the SDK's typed clients to this service; what fails is the CLI's one-line error, as for {@link #get}. */
    public <T> T typed(Supplier<T> call) {
        try {
            return call.get();
        } catch (MaestroApiException e) {
            throw failure(e);
        }
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
        try (InputStream body = http.openEvents(path, null)) {
            SseReader events = new SseReader(body);
            for (SseEvent event = events.next(); event != null; event = events.next()) {
                if (!onData.test(event.data())) {
                    return;
                }
            }
        } catch (MaestroApiException e) {
            throw failure(e);
        } catch (IOException e) {
            throw failure(http.unreachable(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private CliException failure(MaestroApiException e) {
        String service = http.service();
        if (e.status() == 0) {
            if (e.getCause() instanceof IOException io && ServiceHttp.nothingListens(io)) {
                return new CliException("cannot reach " + service + " at " + http.current() + " (is it running? ./maestro up, or set --"
                        + service.replace("-service", "") + "-url)");
            }
            return new CliException(e.getCause() instanceof IOException io ? service + " at " + http.current() + ": " + TrustedCertificates.describe(io)
                    : e.getMessage());
        }
        // each field's rule on a line of its own, unless the detail says it already (one invalid field usually does)
        StringBuilder fields = new StringBuilder();
        for (MaestroApiException.FieldError error : e.errors()) {
            String line = error.field() + ": " + error.rule();
            if (e.detail() == null || !e.detail().contains(line)) {
                fields.append(System.lineSeparator()).append("  ").append(line);
            }
        }
        return new CliException(e.getMessage() + (e.status() == 401 ? " (" + unauthorizedHint() + ")" : "") + fields);
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
