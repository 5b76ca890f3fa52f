package io.maestro.client.health;

import com.fasterxml.jackson.databind.JsonNode;
import io.maestro.client.http.ClientBuilder;
import io.maestro.client.http.MaestroApiException;
import io.maestro.client.http.Retries;
import io.maestro.client.http.ServiceHttp;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether one replica of a Maestro service is ready, as its {@code GET /q/health/ready} says (open to anyone, no
 * token): UP or DOWN, and each check with its data, e.g. the event relay's {@code activeRelay}. For a program that
 * watches the suite itself (the console, a dashboard); a replica's URL is what it registered as {@code maestro.*}.
 */
public final class Readiness {
    private final java.net.http.HttpClient client;
    private final Duration timeout;

    /** One check of a replica: its name, UP or DOWN, and what it reported (text, numbers and booleans as given). */
    public record Check(String name, String status, Map<String, Object> data) {
        public Check {
            data = data == null ? Map.of() : Map.copyOf(data);
        }

        public boolean up() {
            return "UP".equals(status);
        }
    }

    /** A replica's readiness: UP only when every check is. */
    public record Report(String status, List<Check> checks) {
        public Report {
            checks = checks == null ? List.of() : List.copyOf(checks);
        }

        public boolean up() {
            return "UP".equals(status);
        }

        /** The value a check reported under {@code key}, from the first check that has it. */
        public Optional<Object> data(String key) {
            return checks.stream().map(check -> check.data().get(key)).filter(value -> value != null).findFirst();
        }
    }

    private Readiness(Builder builder) {
        this.timeout = builder.timeout;
        this.client = builder.client();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The readiness of the replica at {@code replica} (its base URL). A DOWN replica answers 503 with its checks, which
     * is a report too; one that cannot be reached, or answers something else, is a {@link MaestroApiException}.
     */
    public Report of(URI replica) {
        ServiceHttp http = new ServiceHttp(replica.toString(), List.of(replica), client, timeout, null, Retries.none());
        HttpResponse<String> response;
        try {
            response = http.send("GET", "q/health/ready", null, Map.of());
        } catch (IOException e) {
            throw http.unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MaestroApiException("interrupted while asking " + replica + " whether it is ready", e);
        }
        if (response.statusCode() != 200 && response.statusCode() != 503) {
            throw new MaestroApiException(replica + " answered " + response.statusCode() + " to /q/health/ready", null);
        }
        try {
            JsonNode body = io.maestro.events.EventCodec.mapper().readTree(response.body());
            List<Check> checks = new ArrayList<>();
            for (JsonNode check : body.path("checks")) {
                Map<String, Object> data = new LinkedHashMap<>();
                check.path("data").fields().forEachRemaining(e -> data.put(e.getKey(),
                        e.getValue().isBoolean() ? e.getValue().asBoolean()
                                : e.getValue().isNumber() ? e.getValue().numberValue() : e.getValue().asText()));
                checks.add(new Check(check.path("name").asText(), check.path("status").asText(), data));
            }
            return new Report(body.path("status").asText("DOWN"), checks);
        } catch (IOException e) {
            throw new MaestroApiException(replica + " answered /q/health/ready with unreadable JSON", e);
        }
    }

    public static final class Builder extends ClientBuilder<Builder> {
        private Duration timeout = Duration.ofSeconds(2);

        private Builder() {
        }

        /** How long to wait for a replica (default 2 s): a replica that takes longer is as good as down. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        java.net.http.HttpClient client() {
            java.net.http.HttpClient given = givenHttpClient();
            return given != null ? given : trustingBuilder().connectTimeout(timeout).build();
        }

        public Readiness build() {
            return new Readiness(this);
        }
    }
}
