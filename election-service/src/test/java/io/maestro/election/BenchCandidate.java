package io.maestro.election;

import io.maestro.client.election.ElectionClient;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A unit in its own JVM for {@link ElectionBenchmark} (which kills it with SIGKILL). Prints {@code GAINED <token>
 * <nanoTime>} and {@code LOST <nanoTime>} as its client reports them; {@code System.nanoTime()} is the machine's
 * monotonic clock on Linux, comparable between processes. Reads {@code quit} from stdin.
 *
 * <p>Arguments: service URL, group, candidate id, TTL in milliseconds. The bearer token is {@code MAESTRO_TOKEN}.
 */
public final class BenchCandidate {
    private BenchCandidate() {
    }

    public static void main(String[] args) throws Exception {
        ElectionClient unit = ElectionClient.builder(URI.create(args[0]), args[1], args[2])
                .token(System.getenv("MAESTRO_TOKEN"))
                .ttl(Duration.ofMillis(Long.parseLong(args[3])))
                .onLeadershipGained(lease -> say("GAINED " + lease.fencingToken() + " " + System.nanoTime()))
                .onLeadershipLost(() -> say("LOST " + System.nanoTime()))
                .onEvent(event -> {
                    if (args[2].equals(event.leader())) {
                        say("EVENT " + System.nanoTime());
                    }
                })
                .start();
        say("STARTED");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.equals("quit")) {
                break;
            }
        }
        unit.quit();
        say("QUIT");
        System.exit(0);
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
