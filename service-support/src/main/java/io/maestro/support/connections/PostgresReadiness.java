package io.maestro.support.connections;

import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the PostgreSQL connection of a service with a database ({@code maestro.readiness.postgresql=true} at
 * build time, as only those services have the reactive client): {@code SELECT 1} on the service's own pool. Replaces
 * the datasource extension's checks ({@code quarkus.datasource.health.enabled=false}), which log a stack trace at
 * every failed poll; DOWN names the setting to fix ({@link ConnectionProblems}).
 */
@Readiness
@ApplicationScoped
@IfBuildProperty(name = "maestro.readiness.postgresql", stringValue = "true")
public class PostgresReadiness implements AsyncHealthCheck {
    private final ConnectionReadiness readiness;

    public PostgresReadiness(Pool pool) {
        this.readiness = ConnectionReadiness.of(Engine.POSTGRESQL, () -> pool.query("SELECT 1").execute());
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return readiness.check();
    }
}
