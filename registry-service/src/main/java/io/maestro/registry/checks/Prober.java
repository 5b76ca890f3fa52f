package io.maestro.registry.checks;

import io.netty.util.NetUtil;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.SocketAddress;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Probes one check once. The host is resolved here and the address checked against {@link TargetRules} before any
 * connection (so a name that later resolves somewhere forbidden is refused too); redirects are not followed; at most
 * {@link #MAX_OUTPUT_BYTES} of a response body are read, then the connection is dropped.
 */
@ApplicationScoped
public class Prober {
    public static final int MAX_OUTPUT_BYTES = 4096;
    private static final String USER_AGENT = "maestro-registry-health-check";

    /** What a probe found: passing or not, and what it saw (status line and body start, or the error). */
    public record Result(boolean passing, String output) {
    }

    private final Vertx vertx;
    private final TargetRules rules;
    private final HttpClient verifying;
    private final HttpClient trusting;
    private final NetClient tcp;

    public Prober(io.vertx.mutiny.core.Vertx vertx, TargetRules rules) {
        this.vertx = vertx.getDelegate();
        this.rules = rules;
        HttpClientOptions options = new HttpClientOptions().setKeepAlive(false).setMaxPoolSize(256).setMaxRedirects(0)
                .setVerifyHost(true);
        this.verifying = this.vertx.createHttpClient(options);
        this.trusting = this.vertx.createHttpClient(new HttpClientOptions(options).setTrustAll(true).setVerifyHost(false));
        this.tcp = this.vertx.createNetClient(new NetClientOptions());
    }

    @PreDestroy
    void close() {
        verifying.close();
        trusting.close();
        tcp.close();
    }

    public Future<Result> probe(HealthCheck check) {
        long started = System.nanoTime();
        Future<Result> probed = check.http() != null ? http(check) : tcp(check);
        return probed.recover(failure -> Future.succeededFuture(new Result(false, describe(failure, check, started))));
    }

    private Future<Result> http(HealthCheck check) {
        URI uri = URI.create(check.http());
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return resolve(uri.getHost()).compose(address -> {
            RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET)
                    .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                    .setHost(TargetRules.unbracket(uri.getHost())).setPort(port).setURI(path).setSsl(https)
                    .setFollowRedirects(false).setTimeout(check.timeoutMillis()).putHeader("User-Agent", USER_AGENT)
                    .setConnectTimeout(check.timeoutMillis());
            HttpClient client = Boolean.TRUE.equals(check.tlsSkipVerify()) ? trusting : verifying;
            return client.request(request).compose(req -> req.send().compose(response -> {
                Promise<Result> done = Promise.promise();
                Buffer body = Buffer.buffer();
                String statusLine = "HTTP " + response.statusCode() + " " + response.statusMessage();
                boolean passing = response.statusCode() >= 200 && response.statusCode() < 300;
                response.handler(chunk -> {
                    int room = MAX_OUTPUT_BYTES - body.length();
                    if (room > 0) {
                        body.appendBuffer(chunk.length() > room ? chunk.getBuffer(0, room) : chunk);
                    }
                    if (body.length() >= MAX_OUTPUT_BYTES && !done.future().isComplete()) {
                        done.tryComplete(new Result(passing, output(statusLine, body)));
                        req.reset(); // the rest of the body is not read
                    }
                });
                response.exceptionHandler(e -> done.tryComplete(new Result(passing, output(statusLine, body))));
                response.endHandler(v -> done.tryComplete(new Result(passing, output(statusLine, body))));
                return done.future();
            }));
        });
    }

    private Future<Result> tcp(HealthCheck check) {
        URI uri = URI.create("tcp://" + check.tcp());
        return resolve(uri.getHost()).compose(address -> {
            Promise<Result> done = Promise.promise();
            long timer = vertx.setTimer(check.timeoutMillis(), id -> done.tryFail(new java.util.concurrent.TimeoutException(
                    "no connection within " + check.timeoutSeconds() + " s")));
            tcp.connect(SocketAddress.inetSocketAddress(uri.getPort(), address.getHostAddress())).onComplete(connected -> {
                vertx.cancelTimer(timer);
                if (connected.succeeded()) {
                    connected.result().close();
                    done.tryComplete(new Result(true, "TCP connect " + check.tcp() + ": success"));
                } else {
                    done.tryFail(connected.cause());
                }
            });
            return done.future();
        });
    }

    /** The address of {@code host}, looked up off the event loop, refused when the rules say so. */
    private Future<InetAddress> resolve(String host) {
        String name = TargetRules.unbracket(host);
        if (NetUtil.isValidIpV4Address(name) || NetUtil.isValidIpV6Address(name)) {
            return checked(toAddress(name));
        }
        return vertx.<InetAddress>executeBlocking(() -> InetAddress.getByName(name), false).compose(this::checked);
    }

    private Future<InetAddress> checked(InetAddress address) {
        Optional<String> refused = rules.refusal(address);
        return refused.isPresent() ? Future.failedFuture(new RefusedTarget(refused.get())) : Future.succeededFuture(address);
    }

    private static InetAddress toAddress(String literal) {
        try {
            return InetAddress.getByAddress(NetUtil.createByteArrayFromIpAddressString(literal));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String output(String statusLine, Buffer body) {
        String text = statusLine + (body.length() == 0 ? "" : "\n" + body.toString(StandardCharsets.UTF_8));
        return cut(text);
    }

    /** At most {@link #MAX_OUTPUT_BYTES} bytes of UTF-8, never half a character. */
    static String cut(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_OUTPUT_BYTES) {
            return text;
        }
        int end = MAX_OUTPUT_BYTES;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /** What went wrong, in words (never a class name): the connection error's own message, or the timeout. */
    private static String describe(Throwable failure, HealthCheck check, long startedNanos) {
        long ms = (System.nanoTime() - startedNanos) / 1_000_000;
        String what;
        if (failure instanceof RefusedTarget) {
            what = "refused: " + failure.getMessage();
        } else if (failure instanceof java.util.concurrent.TimeoutException || failure instanceof io.netty.handler.timeout.TimeoutException
                || failure instanceof java.net.SocketTimeoutException) {
            what = "no answer within the timeout (" + check.timeoutSeconds() + " s)";
        } else if (failure instanceof java.net.UnknownHostException) {
            what = "unknown host " + failure.getMessage();
        } else if (failure instanceof javax.net.ssl.SSLException) {
            what = "TLS: " + failure.getMessage() + (check.tlsSkipVerify() == null ? " (a self-signed certificate needs \"tlsSkipVerify\": true)" : "");
        } else {
            what = failure.getMessage() == null ? "the connection failed" : failure.getMessage();
        }
        return cut((check.http() != null ? "GET " + check.http() : "TCP connect " + check.tcp()) + " failed after " + ms + " ms: " + what);
    }

    /** A target the rules forbid. */
    static final class RefusedTarget extends RuntimeException {
        RefusedTarget(String message) {
            super(message, null, false, false);
        }
    }
}
