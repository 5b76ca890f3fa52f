package io.maestro.registry.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maestro.events.EventCodec;
import io.maestro.events.Require;
import io.maestro.registry.checks.CheckValidation;
import io.maestro.registry.checks.HealthCheck;
import io.maestro.registry.config.RegistryConfig;
import io.maestro.support.problem.Names;
import io.maestro.support.problem.Problem.FieldError;
import io.maestro.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks a registration before anything reaches Redis. Every broken field is reported at once, each with the
 * rule it broke, in one 400 problem+json.
 */
@ApplicationScoped
public class RegistrationValidator {
    public static final int MAX_ATTRIBUTES_BYTES = 16 * 1024;
    public static final int MAX_ENDPOINT_LENGTH = 2048;
    public static final int MAX_ATTRIBUTE_KEY_LENGTH = 256;
    private static final ObjectMapper JSON = EventCodec.mapper();

    private final RegistryConfig config;
    private final CheckValidation checks;

    public RegistrationValidator(RegistryConfig config, CheckValidation checks) {
        this.config = config;
        this.checks = checks;
    }

    /**
     * A registration that passed every check, with attributes in canonical JSON (sorted keys) and its health checks
     * with their defaults ({@code []} when none).
     */
    public record ValidRegistration(String service, String instanceId, String endpoint, String attributesJson, int ttlSeconds,
                                    List<HealthCheck> checks, String checksJson, long deregisterCriticalAfterMillis) {
    }

    public ValidRegistration validate(String service, String instanceId, RegistrationRequest body) {
        List<FieldError> errors = new ArrayList<>();
        checkName(service, "service", errors);
        checkName(instanceId, "instanceId", errors);
        if (body == null) {
            errors.add(new FieldError("body", "a JSON object with at least \"endpoint\" is required"));
            throw invalid(errors);
        }
        checkEndpoint(body.endpoint(), errors);
        String attributesJson = checkAttributes(body.attributes(), errors);
        int ttl = body.ttlSeconds() == null ? config.ttl().defaultSeconds() : body.ttlSeconds();
        if (ttl < config.ttl().minSeconds() || ttl > config.ttl().maxSeconds()) {
            errors.add(new FieldError("ttlSeconds", "must be between " + config.ttl().minSeconds() + " and "
                    + config.ttl().maxSeconds() + " but was " + ttl));
        }
        List<HealthCheck> validChecks = errors.stream().anyMatch(e -> e.field().equals("endpoint")) ? List.of()
                : checks.validate(body.checks(), CheckValidation.hostOf(body.endpoint()), errors);
        CheckValidation.checkDeregisterAfter(body.deregisterCriticalAfterSeconds(), errors);
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        long deregisterAfter = body.deregisterCriticalAfterSeconds() == null ? 0 : body.deregisterCriticalAfterSeconds() * 1000L;
        try {
            return new ValidRegistration(service, instanceId, body.endpoint(), attributesJson, ttl, validChecks,
                    JSON.writeValueAsString(validChecks), deregisterAfter);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Checks the path names of calls other than registration. */
    public void validateNames(String service, String instanceId) {
        List<FieldError> errors = new ArrayList<>();
        checkName(service, "service", errors);
        if (instanceId != null) {
            checkName(instanceId, "instanceId", errors);
        }
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
    }

    public void validateService(String service) {
        validateNames(service, null);
    }

    private static void checkName(String value, String field, List<FieldError> errors) {
        if (value == null || !Require.NAME.matcher(value).matches()) {
            errors.add(new FieldError(field, Names.RULE));
        }
    }

    private static void checkEndpoint(String endpoint, List<FieldError> errors) {
        if (endpoint == null || endpoint.isBlank()) {
            errors.add(new FieldError("endpoint", "is required: an absolute URI such as http://10.0.0.7:8080"));
            return;
        }
        if (endpoint.length() > MAX_ENDPOINT_LENGTH) {
            errors.add(new FieldError("endpoint", "must be at most " + MAX_ENDPOINT_LENGTH + " characters"));
            return;
        }
        try {
            URI uri = new URI(endpoint);
            if (!uri.isAbsolute()) {
                errors.add(new FieldError("endpoint", "must be an absolute URI with a scheme, such as http://10.0.0.7:8080"));
            } else if (uri.isOpaque()) {
                errors.add(new FieldError("endpoint", "must be a hierarchical URI (scheme://host:port/...), such as http://10.0.0.7:8080"));
            }
        } catch (URISyntaxException e) {
            errors.add(new FieldError("endpoint", "must be a valid URI: " + e.getMessage()));
        }
    }

    private static String checkAttributes(Map<String, String> attributes, List<FieldError> errors) {
        if (attributes == null || attributes.isEmpty()) {
            return "{}";
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, String> entry : attributes.entrySet()) {
            String key = entry.getKey();
            if (key == null || key.isEmpty() || key.length() > MAX_ATTRIBUTE_KEY_LENGTH) {
                errors.add(new FieldError("attributes", "keys must have 1 to " + MAX_ATTRIBUTE_KEY_LENGTH + " characters"));
                return "{}";
            }
            if (entry.getValue() == null) {
                errors.add(new FieldError("attributes." + key, "must be a string, not null"));
                return "{}";
            }
            sorted.put(key, entry.getValue());
        }
        try {
            String json = JSON.writeValueAsString(sorted);
            int bytes = json.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > MAX_ATTRIBUTES_BYTES) {
                errors.add(new FieldError("attributes", "must be at most " + MAX_ATTRIBUTES_BYTES + " bytes of JSON but was " + bytes));
                return "{}";
            }
            return json;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ProblemException invalid(List<FieldError> errors) {
        String detail = String.join("; ", errors.stream().map(e -> e.field() + ": " + e.rule()).toList());
        return new ProblemException(400, "Invalid request", detail, errors);
    }
}
