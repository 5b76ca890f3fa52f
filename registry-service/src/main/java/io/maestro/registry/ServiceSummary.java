package io.maestro.registry;

/** One line of {@code GET /v1/services}: a service, how many live instances it has, its revision. */
public record ServiceSummary(String service, long instances, long revision) {
}
