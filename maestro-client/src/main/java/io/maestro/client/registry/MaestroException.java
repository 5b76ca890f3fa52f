package io.maestro.client.registry;

import io.maestro.client.TrustedCertificates;
import io.maestro.client.http.MaestroApiException;

import java.io.IOException;
import java.util.List;

/**
 * A registry call that failed: {@code status} is the HTTP status (0 when the registry could not be reached); the
 * problem's title, detail and field errors as {@link MaestroApiException}, the SDK's one error type, has them.
 */
public class MaestroException extends MaestroApiException {
    public MaestroException(int status, String message, Throwable cause) {
        super(status, null, null, List.of(), message, cause);
    }

    public MaestroException(int status, String message) {
        this(status, message, null);
    }

    /** {@code failure} said as what the caller tried: "cannot {@code what}: ...". */
    MaestroException(String what, MaestroApiException failure) {
        super(failure.status(), failure.title(), failure.detail(), failure.errors(), "cannot " + what + ": " + reason(failure), failure);
    }

    private static String reason(MaestroApiException failure) {
        if (failure.status() == 0) {
            // A TLS refusal is not an outage: say which, so a missing CA is not mistaken for a down registry.
            if (failure.getCause() instanceof IOException io) {
                String why = TrustedCertificates.describe(io);
                if (why.startsWith("TLS")) {
                    return why;
                }
            }
            return failure.getMessage();
        }
        return "HTTP " + failure.status() + (failure.detail() == null ? "" : " " + failure.detail());
    }
}
