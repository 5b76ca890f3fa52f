package io.maestro.registry.service;

import io.maestro.events.InstanceHealth;
import io.maestro.registry.ServiceSnapshot;
import io.maestro.registry.ServiceSummary;
import io.maestro.registry.store.RegistryStore;
import io.maestro.support.problem.ProblemException;
import io.maestro.support.redis.SecretTokens;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Registration, heartbeats, deregistration and queries, with ownership tokens checked in Redis. */
@ApplicationScoped
public class RegistrationService {
    /** The header that carries an instance's token. */
    public static final String TOKEN_HEADER = "X-Maestro-Token";

    private final RegistryStore store;
    private final RegistrationValidator validator;

    public RegistrationService(RegistryStore store, RegistrationValidator validator) {
        this.store = store;
        this.validator = validator;
    }

    /**
     * Registers an instance, or updates it when its id is already registered (never a duplicate). An existing,
     * unexpired instance changes only with its current token, which stays valid: nobody can redirect another
     * caller's instance. A process that lost its token registers under a new instance id or waits for the expiry.
     * A token presented for an id that is not registered becomes the new instance's token: a caller that chooses
     * its token can retry a registration whose answer it lost, on any replica, and stays the owner.
     *
     * @param actor the subject of the request's bearer token, recorded as the change's {@code actor}
     */
    public Uni<RegistrationResult> register(String service, String instanceId, RegistrationRequest body, String presentedToken,
                                            String actor) {
        RegistrationValidator.ValidRegistration valid = validator.validate(service, instanceId, body);
        boolean presented = presentedToken != null && !presentedToken.isEmpty();
        if (presented && !SecretTokens.isWellFormed(presentedToken)) {
            throw ProblemException.invalid(TOKEN_HEADER, "must be 32 to 256 characters of A-Z, a-z, 0-9, '_' and '-'");
        }
        String newToken = SecretTokens.newToken();
        return store.register(valid.service(), valid.instanceId(), valid.endpoint(), valid.attributesJson(),
                        valid.ttlSeconds() * 1000L, SecretTokens.hash(newToken), presented ? SecretTokens.hash(presentedToken) : "", actor,
                        valid.checksJson(), valid.checks().size(), valid.deregisterCriticalAfterMillis())
                .map(outcome -> {
                    if (outcome.status() == 403) {
                        throw presented ? wrongToken(service, instanceId) : ProblemException.forbidden("instance '"
                                + instanceId + "' of service '" + service + "' is registered: header X-Maestro-Token "
                                + "with its token is required to change it (register under another instance id, or "
                                + "wait until its TTL runs out)");
                    }
                    String token = outcome.tokenKept() ? presentedToken : newToken;
                    return new RegistrationResult(service, instanceId, outcome.revision(), token, valid.ttlSeconds(),
                            Instant.ofEpochMilli(outcome.expiresAtMillis()), outcome.status() == 201);
                });
    }

    public Uni<HeartbeatResult> heartbeat(String service, String instanceId, String token) {
        validator.validateNames(service, instanceId);
        requireToken(token);
        return store.heartbeat(service, instanceId, SecretTokens.hash(token)).map(outcome -> switch (outcome.status()) {
            case 200 -> new HeartbeatResult(service, instanceId, (int) (outcome.ttlMillis() / 1000),
                    Instant.ofEpochMilli(outcome.expiresAtMillis()));
            case 403 -> throw wrongToken(service, instanceId);
            default -> throw gone(service, instanceId);
        });
    }

    /** @param actor the subject of the request's bearer token, recorded as the change's {@code actor} */
    public Uni<Long> deregister(String service, String instanceId, String token, String actor) {
        validator.validateNames(service, instanceId);
        requireToken(token);
        return store.deregister(service, instanceId, SecretTokens.hash(token), actor).map(outcome -> switch (outcome.status()) {
            case 204 -> outcome.revision();
            case 403 -> throw wrongToken(service, instanceId);
            default -> throw gone(service, instanceId);
        });
    }

    /**
     * Sets the state of an instance (active, draining, maintenance): with its token, or without one as an operator whose
     * bearer token has {@code registry:register} for the service (the change names the operator as its actor).
     */
    public Uni<InstanceStateResult> setState(String service, String instanceId, InstanceStateRequest body, String token, String actor) {
        validator.validateNames(service, instanceId);
        if (body == null || body.state() == null || !InstanceHealth.STATES.contains(body.state())) {
            throw ProblemException.invalid("state", "must be one of active, draining, maintenance");
        }
        boolean presented = token != null && !token.isEmpty();
        return store.setState(service, instanceId, presented ? SecretTokens.hash(token) : "", body.state(), actor)
                .map(outcome -> switch (outcome.status()) {
                    case 200 -> new InstanceStateResult(service, instanceId, body.state(), outcome.revision());
                    case 403 -> throw wrongToken(service, instanceId);
                    default -> throw gone(service, instanceId);
                });
    }

    public Uni<List<ServiceSummary>> services() {
        return store.services().map(all -> all.stream().filter(s -> s.instances() > 0).toList());
    }

    /**
     * The instances of a service whose attributes have every given value, and when {@code healthyOnly} only those that
     * should get traffic (no failing check, active) (unknown service: revision 0, none).
     */
    public Uni<ServiceSnapshot> snapshot(String service, Map<String, String> attributeFilter, boolean healthyOnly) {
        validator.validateService(service);
        return store.snapshot(service).map(snapshot -> attributeFilter.isEmpty() && !healthyOnly ? snapshot
                : new ServiceSnapshot(snapshot.service(), snapshot.revision(), snapshot.instances().stream()
                .filter(i -> !healthyOnly || i.serving())
                .filter(i -> attributeFilter.entrySet().stream().allMatch(f -> f.getValue().equals(i.attributes().get(f.getKey()))))
                .toList()));
    }

    private static void requireToken(String token) {
        if (token == null || token.isEmpty()) {
            throw ProblemException.forbidden("header X-Maestro-Token is required: the token returned when the instance was registered");
        }
    }

    private static ProblemException wrongToken(String service, String instanceId) {
        return ProblemException.forbidden("the X-Maestro-Token presented is not the token of instance '" + instanceId
                + "' of service '" + service + "'");
    }

    private static ProblemException gone(String service, String instanceId) {
        return ProblemException.notFound("instance '" + instanceId + "' of service '" + service
                + "' is not registered (never was, was deregistered, or its TTL ran out): register it again");
    }
}
