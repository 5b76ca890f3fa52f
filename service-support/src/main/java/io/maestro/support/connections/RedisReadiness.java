package io.maestro.support.connections;

import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the Redis connection of a service that uses Redis ({@code maestro.readiness.redis=true} at build time,
 * as only those services have the Redis client): a PING through the service's own client, so it authenticates the
 * same way. Replaces the Redis extension's check ({@code quarkus.redis.health.enabled=false}); DOWN names the setting
 * to fix ({@link ConnectionProblems}).
 */
@Readiness
@ApplicationScoped
@IfBuildProperty(name = "maestro.readiness.redis", stringValue = "true")
public class RedisReadiness implements AsyncHealthCheck {
    private final ConnectionReadiness readiness;

    public RedisReadiness(ReactiveRedisDataSource redis) {
        this.readiness = ConnectionReadiness.of(Engine.REDIS, () -> redis.execute("PING"));
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return readiness.check();
    }
}
