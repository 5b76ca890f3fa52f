package io.maestro.client.election;

import io.maestro.client.http.MaestroApiException;

import java.util.List;

/**
 * An election call that failed: {@code status} is the HTTP status (0 when the service could not be reached); a
 * {@link MaestroApiException}, the SDK's one error type.
 */
public class ElectionException extends MaestroApiException {
    public ElectionException(int status, String message) {
        super(status, null, null, List.of(), message, null);
    }

    public ElectionException(String message, Throwable cause) {
        super(0, null, null, List.of(), message, cause);
    }
}
