package io.maestro.election;

import io.maestro.client.election.ElectionClient;

import java.net.URI;
import java.time.Duration;

/**
 * A program that joins a group with a 20 s lease, says when it leads, then ends its JVM without quitting: what a
 * service does when it is stopped. {@code LeaderThatExits <election url> <token> <group> <releaseOnShutdown>}
 */
public final class LeaderThatExits {
    public static void main(String[] args) throws Exception {
        ElectionClient unit = ElectionClient.builder(URI.create(args[0]), args[2], "exiting").token(args[1])
                .ttl(Duration.ofSeconds(20)).releaseOnShutdown(Boolean.parseBoolean(args[3])).start();
        if (!unit.awaitMaster(Duration.ofSeconds(20))) {
            System.exit(2);
        }
        System.out.println("LEADING");
        System.out.flush();
        System.exit(0); // no quit(): only the shutdown hook may resign
    }
}
