package io.maestro.registry.store;

import io.maestro.events.EventCodec;
import io.maestro.events.ServiceMembershipChanged;

/** One entry of a service's change log: the change as an event, and its JSON (encoded once, for every watcher). */
public record LogEntry(ServiceMembershipChanged event, String json) {
    public static LogEntry of(ServiceMembershipChanged event) {
        return new LogEntry(event, EventCodec.encodeToString(event));
    }

    public String service() {
        return event.service();
    }

    public long revision() {
        return event.revision();
    }

    public String eventId() {
        return event.eventId();
    }
}
