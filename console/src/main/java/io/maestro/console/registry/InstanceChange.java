package io.maestro.console.registry;

import io.quarkus.qute.TemplateData;

import java.time.Instant;

/** What one revision changed of an instance, for a service page's change log: it joined, left, or changed endpoint or attributes. */
@TemplateData
public record InstanceChange(Instant at, long revision, String what, String instanceId, String endpoint, String detail) {
}
