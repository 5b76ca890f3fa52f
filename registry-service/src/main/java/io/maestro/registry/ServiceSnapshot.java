package io.maestro.registry;

import io.maestro.events.ServiceMembershipChanged.ServiceInstance;

import java.util.List;

/** The instances of one service at one revision (revision 0 and no instances for a service never seen). */
public record ServiceSnapshot(String service, long revision, List<ServiceInstance> instances) {
    public ServiceSnapshot {
        instances = instances == null ? List.of() : List.copyOf(instances);
    }
}
