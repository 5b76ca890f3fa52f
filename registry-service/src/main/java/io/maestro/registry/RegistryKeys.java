package io.maestro.registry;

import java.util.Optional;

/**
 * The Redis key layout under one prefix (default {@code maestro:registry:}). Service names and instance ids
 * follow the name rule {@code [a-z0-9][a-z0-9._-]{0,127}}, so they never contain ':' and never start with
 * '_': the registry's own global keys start with '_' and cannot collide with a service's keys.
 *
 * <pre>
 * P&lt;svc&gt;:instance:&lt;id&gt;  hash with the instance's TTL: endpoint, attributes, registeredAt, ttl, token (SHA-256)
 * P&lt;svc&gt;:instances      sorted set instanceId -&gt; expiresAt (ms): the per-service index
 * P&lt;svc&gt;:revision       the per-service revision counter
 * P&lt;svc&gt;:log            stream of the service's changes, entry id &lt;revision&gt;-0, each with the whole list after it
 * P_services            every service name ever registered
 * P_due                 service -&gt; earliest expiresAt of its instances (the sweeper's index)
 * P_epoch               random id of this registry's data set (event ids derive from it)
 * P_changes            stream of every service's changes, in order: what the relay copies to Kafka
 * P_relay:lease, P_relay:cursor   which replica relays P_changes to Kafka, and the last entry Kafka acknowledged
 * P_replica:&lt;id&gt;        pub/sub channel a replica pings itself on to check its subscription
 * </pre>
 */
public final class RegistryKeys {
    private static final String INSTANCE = ":instance:";
    private static final String LOG = ":log";

    private final String prefix;

    public RegistryKeys(String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            throw new IllegalArgumentException("registry.key-prefix must not be empty");
        }
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }

    public String instance(String service, String instanceId) {
        return instancePrefix(service) + instanceId;
    }

    /** What an instance key of {@code service} starts with (the scripts append the instance id). */
    public String instancePrefix(String service) {
        return prefix + service + INSTANCE;
    }

    public String index(String service) {
        return prefix + service + ":instances";
    }

    public String revision(String service) {
        return prefix + service + ":revision";
    }

    public String log(String service) {
        return prefix + service + LOG;
    }

    public String services() {
        return prefix + "_services";
    }

    public String due() {
        return prefix + "_due";
    }

    public String epoch() {
        return prefix + "_epoch";
    }

    /** Every service's changes, in order: what the relay copies to Kafka. */
    public String changes() {
        return prefix + "_changes";
    }

    public String relayLease() {
        return prefix + "_relay:lease";
    }

    public String relayCursor() {
        return prefix + "_relay:cursor";
    }

    public String replicaChannel(String replicaId) {
        return prefix + "_replica:" + replicaId;
    }

    /** The service and instance id of an instance key, if {@code key} is one. */
    public Optional<InstanceRef> parseInstance(String key) {
        if (key == null || !key.startsWith(prefix)) {
            return Optional.empty();
        }
        String rest = key.substring(prefix.length());
        int at = rest.indexOf(INSTANCE);
        if (at <= 0 || rest.startsWith("_")) {
            return Optional.empty();
        }
        String service = rest.substring(0, at);
        String instanceId = rest.substring(at + INSTANCE.length());
        if (service.indexOf(':') >= 0 || instanceId.isEmpty() || instanceId.indexOf(':') >= 0) {
            return Optional.empty();
        }
        return Optional.of(new InstanceRef(service, instanceId));
    }

    /** The service of a log key, if {@code key} is one. */
    public Optional<String> parseLog(String key) {
        if (key == null || !key.startsWith(prefix) || !key.endsWith(LOG)) {
            return Optional.empty();
        }
        String service = key.substring(prefix.length(), key.length() - LOG.length());
        if (service.isEmpty() || service.startsWith("_") || service.indexOf(':') >= 0) {
            return Optional.empty();
        }
        return Optional.of(service);
    }

    public record InstanceRef(String service, String instanceId) {
    }
}
