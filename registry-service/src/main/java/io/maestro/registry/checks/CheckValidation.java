package io.maestro.registry.checks;

import io.maestro.registry.config.RegistryConfig;
import io.maestro.support.problem.Problem.FieldError;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The rules for the {@code checks} of a registration, each broken one reported with its field. */
@ApplicationScoped
public class CheckValidation {
    public static final int MAX_TARGET_LENGTH = 2048;
    public static final int MAX_DEREGISTER_AFTER_SECONDS = 7 * 24 * 3600;

    private final TargetRules targets;
    private final int maxPerInstance;

    public CheckValidation(TargetRules targets, RegistryConfig config) {
        this.targets = targets;
        this.maxPerInstance = config.checks().maxPerInstance();
    }

    /** The checks with their defaults filled in (empty when none), or nothing when {@code errors} got some. */
    public List<HealthCheck> validate(List<HealthCheck> checks, String endpointHost, List<FieldError> errors) {
        if (checks == null || checks.isEmpty()) {
            return List.of();
        }
        if (checks.size() > maxPerInstance) {
            errors.add(new FieldError("checks", "at most " + maxPerInstance + " checks per instance (registry.checks.max-per-instance), not " + checks.size()));
            return List.of();
        }
        List<HealthCheck> valid = new ArrayList<>();
        for (int i = 0; i < checks.size(); i++) {
            String field = "checks[" + i + "]";
            HealthCheck check = checks.get(i);
            if (check == null) {
                errors.add(new FieldError(field, "must be an object with \"http\" or \"tcp\""));
                continue;
            }
            int before = errors.size();
            String host = null;
            if ((check.http() == null) == (check.tcp() == null)) {
                errors.add(new FieldError(field, "needs exactly one of \"http\" (a URL) and \"tcp\" (host:port)"));
            } else if (check.target().length() > MAX_TARGET_LENGTH) {
                errors.add(new FieldError(field + (check.http() != null ? ".http" : ".tcp"), "must be at most " + MAX_TARGET_LENGTH + " characters"));
            } else if (check.http() != null) {
                host = httpHost(check.http(), field + ".http", errors);
            } else {
                host = tcpHost(check.tcp(), field + ".tcp", errors);
            }
            if (host != null) {
                Optional<String> refused = targets.refusalAtRegistration(host, endpointHost);
                String targetField = field + (check.http() != null ? ".http" : ".tcp");
                refused.ifPresent(rule -> errors.add(new FieldError(targetField, rule)));
            }
            int interval = check.intervalSeconds() == null ? HealthCheck.DEFAULT_INTERVAL_SECONDS : check.intervalSeconds();
            if (interval < 1 || interval > HealthCheck.MAX_INTERVAL_SECONDS) {
                errors.add(new FieldError(field + ".intervalSeconds", "must be between 1 and " + HealthCheck.MAX_INTERVAL_SECONDS + " but was " + interval));
            }
            int timeout = check.timeoutSeconds() == null ? Math.min(HealthCheck.DEFAULT_TIMEOUT_SECONDS, Math.max(interval, 1)) : check.timeoutSeconds();
            if (timeout < 1 || timeout > Math.max(interval, 1)) {
                errors.add(new FieldError(field + ".timeoutSeconds", "must be between 1 and the interval (" + interval + ") but was " + timeout));
            }
            if (check.tlsSkipVerify() != null && check.tcp() != null) {
                errors.add(new FieldError(field + ".tlsSkipVerify", "applies to https checks only"));
            }
            if (errors.size() == before) {
                valid.add(new HealthCheck(check.http(), check.tcp() == null ? null : check.tcp().toLowerCase(Locale.ROOT), interval, timeout,
                        Boolean.TRUE.equals(check.tlsSkipVerify()) ? Boolean.TRUE : null));
            }
        }
        return valid;
    }

    private static String httpHost(String url, String field, List<FieldError> errors) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                errors.add(new FieldError(field, "must be an http:// or https:// URL, such as http://10.0.0.7:8080/health"));
                return null;
            }
            if (uri.getHost() == null || uri.getRawUserInfo() != null) {
                errors.add(new FieldError(field, "must name a host and no user, such as http://10.0.0.7:8080/health"));
                return null;
            }
            return uri.getHost();
        } catch (URISyntaxException e) {
            errors.add(new FieldError(field, "must be a valid URL: " + e.getReason()));
            return null;
        }
    }

    private static String tcpHost(String hostPort, String field, List<FieldError> errors) {
        try {
            URI uri = new URI("tcp://" + hostPort);
            if (uri.getHost() == null || uri.getPort() < 1 || uri.getRawUserInfo() != null
                    || (uri.getRawPath() != null && !uri.getRawPath().isEmpty()) || uri.getRawQuery() != null) {
                errors.add(new FieldError(field, "must be host:port, such as 10.0.0.7:5432"));
                return null;
            }
            return uri.getHost();
        } catch (URISyntaxException e) {
            errors.add(new FieldError(field, "must be host:port, such as 10.0.0.7:5432"));
            return null;
        }
    }

    /** The host of an instance's endpoint (null when it has none). */
    public static String hostOf(String endpoint) {
        try {
            return new URI(endpoint).getHost();
        } catch (URISyntaxException e) {
            return null;
        }
    }

    public static void checkDeregisterAfter(Integer seconds, List<FieldError> errors) {
        if (seconds != null && (seconds < 1 || seconds > MAX_DEREGISTER_AFTER_SECONDS)) {
            errors.add(new FieldError("deregisterCriticalAfterSeconds", "must be between 1 and " + MAX_DEREGISTER_AFTER_SECONDS + " but was " + seconds));
        }
    }
}
