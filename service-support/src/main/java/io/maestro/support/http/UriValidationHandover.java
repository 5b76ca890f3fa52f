package io.maestro.support.http;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.Map;
import java.util.Set;

/**
 * Hands the check of the request URI from Quarkus's HTTP root handler to {@link RequestUriGuard}. Quarkus refuses
 * a URI that {@link java.net.URI} cannot parse with an empty 400, before any application code, unless the system
 * property {@code vertx.disableURIValidation} is true when its HTTP layer loads; the guard then makes the same
 * check and answers with a problem naming the rule. Config sources are loaded before that, in every way a service
 * starts (fast-jar, container, tests), so this is where the property is set. It holds no configuration; an
 * explicit {@code -Dvertx.disableURIValidation=false} keeps Quarkus's own check.
 */
public class UriValidationHandover implements ConfigSource {
    static final String PROPERTY = "vertx.disableURIValidation";

    static {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, "true");
        }
    }

    @Override
    public Set<String> getPropertyNames() {
        return Set.of();
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of();
    }

    @Override
    public String getValue(String propertyName) {
        return null;
    }

    @Override
    public String getName() {
        return "maestro-uri-validation-handover";
    }

    @Override
    public int getOrdinal() {
        return 0;
    }
}
