package io.maestro.console;

import io.maestro.client.http.MaestroApiException;

/** How a page tells of a service's refusal or absence: in the service's own words, with a status to match. */
public final class ServiceProblems {
    private ServiceProblems() {
    }

    /** The page's status: the service's 4xx as it is (a refusal is the caller's), anything else 502 (the service failed). */
    public static int status(MaestroApiException e) {
        return e.status() >= 400 && e.status() < 500 ? e.status() : 502;
    }

    /** "{@code service}: detail" as the service worded it, or that it is unreachable and why. */
    public static String describe(String service, MaestroApiException e) {
        if (e.status() == 0) {
            return service + " is unreachable: " + e.getMessage();
        }
        return service + ": " + (e.detail() != null ? e.detail() : e.getMessage());
    }

    /** What a form shows for a refusal: each field and its rule, in the service's words, else {@link #describe}. */
    public static String forForm(String service, MaestroApiException e) {
        if (!e.errors().isEmpty()) {
            return String.join("; ", e.errors().stream().map(error -> error.field() + ": " + error.rule()).toList());
        }
        return describe(service, e);
    }
}
