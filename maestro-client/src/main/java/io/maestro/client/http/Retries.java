package io.maestro.client.http;

import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

/**
 * When the transport sends a request again, after every replica was tried: with exponential backoff from
 * {@code firstDelay} to {@code maxDelay} (25% jitter), at most {@code maxRetries} times. What is sent again is only
 * what cannot run twice:
 * <ul>
 * <li>any request that reached no service at all (nothing listens: the request never left), or that a service
 *     answered 503 (it did not take it on: starting, stopping, overloaded);</li>
 * <li>reads ({@code GET}, {@code HEAD}) also after a timeout or a dropped connection, and on 502 and 504 from a
 *     proxy in front.</li>
 * </ul>
 * A write that may have reached the service (its connection dropped after sending) is not sent again: the caller
 * gets the error and decides, e.g. with the command id or idempotency key the API offers.
 */
public record Retries(int maxRetries, Duration firstDelay, Duration maxDelay) {
    private static final Set<String> READS = Set.of("GET", "HEAD");

    public Retries {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must be 0 or more");
        }
        if (maxRetries > 0 && (firstDelay.isNegative() || firstDelay.isZero() || maxDelay.compareTo(firstDelay) < 0)) {
            throw new IllegalArgumentException("delays must be positive, maxDelay at least firstDelay");
        }
    }

    /** Never again: for callers that act on each failure themselves (leases, heartbeats, event streams). */
    public static Retries none() {
        return new Retries(0, Duration.ofMillis(100), Duration.ofMillis(100));
    }

    /** Three more times, 100 ms, 200 ms, 400 ms apart (about 0.7 s in all, plus jitter). */
    public static Retries standard() {
        return new Retries(3, Duration.ofMillis(100), Duration.ofSeconds(2));
    }

    /** The policy for one request of {@code method}. */
    <T> RetryPolicy<HttpResponse<T>> policy(String method) {
        boolean read = READS.contains(method);
        RetryPolicyBuilder<HttpResponse<T>> policy = RetryPolicy.<HttpResponse<T>>builder()
                .handleIf((response, failure) -> failure != null
                        ? (read ? failure instanceof IOException : ServiceHttp.nothingListens(failure))
                        : again(response.statusCode(), read))
                .withJitter(0.25)
                .withMaxRetries(maxRetries);
        return (maxDelay.compareTo(firstDelay) > 0 ? policy.withBackoff(firstDelay, maxDelay) : policy.withDelay(firstDelay)).build();
    }

    private static boolean again(int status, boolean read) {
        return status == 503 || (read && (status == 502 || status == 504));
    }
}
