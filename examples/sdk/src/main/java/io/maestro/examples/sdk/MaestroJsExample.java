package io.maestro.examples.sdk;

import io.maestro.client.MaestroEndpoints;
import io.maestro.client.registry.Instance;
import io.maestro.client.registry.Maestro;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * MaestroJS's README example on the SDK: an API node waits for the Redis it depends on, is told its address (and of
 * every later change), registers itself, then starts. A second client plays the Redis node registering.
 *
 * <pre>
 * var maestro = new Maestro("127.0.0.1", 6379);
 * maestro.use('services.redis', function(entries) { app.use('redis', redis.createClient(entries[0].endpoint)); });
 * maestro.register("services.api", { endpoint: "198.176.45.68", version: 2.1, something: true });
 * maestro.start(function() { });
 * </pre>
 */
public final class MaestroJsExample {
    private MaestroJsExample() {
    }

    public static void main(String[] args) throws Exception {
        run(MaestroEndpoints.fromEnvironment(), System.getenv(MaestroEndpoints.TOKEN_VARIABLE), System.out);
    }

    public static void run(MaestroEndpoints endpoints, String token, PrintStream out) throws Exception {
        try (Maestro api = Maestro.builder(endpoints.registry()).token(token).build();
             Maestro redis = Maestro.builder(endpoints.registry()).token(token).build()) {
            api.use("services.redis", (List<Instance> entries) ->
                    out.println("services.redis is at " + entries.stream().map(Instance::endpoint).toList()));
            api.register("services.api", "http://198.176.45.68:8080", Map.of("version", "2.1", "something", "true"));
            api.start(() -> out.println("services.api started: every service it uses has a node"));

            out.println("services.api waits for " + api.missing());
            redis.register("services.redis", "redis://127.0.0.1:6379", Map.of()).start(null);
            api.started().get(30, TimeUnit.SECONDS);
            awaitInstances(api, "services.api", Duration.ofSeconds(10));
            out.println("services.api is registered as " + api.instances("services.api").stream().map(Instance::endpoint).toList());
        }
    }

    /** Follows {@code service} too, and waits until this client has seen one of its nodes. */
    private static void awaitInstances(Maestro maestro, String service, Duration timeout) throws InterruptedException {
        maestro.use(service, ignored -> { });
        long end = System.nanoTime() + timeout.toNanos();
        while (maestro.instances(service).isEmpty()) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException(service + " has no node after " + timeout.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }
}
