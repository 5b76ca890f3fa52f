package io.maestro.localstack;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local Redis Cluster: three masters that share every slot, each sending keyspace notifications. */
class RedisClusterTest {
    @TempDir
    static Path dir;
    static RedisCluster cluster;

    @BeforeAll
    static void start() throws IOException {
        cluster = new RedisCluster(dir).start(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        cluster.close();
    }

    @Test
    void everyNodeSeesThreeMastersServingAllSlots() throws IOException {
        for (RedisServer node : cluster.nodes()) {
            String info = RedisCluster.call(node.port(), List.of("CLUSTER", "INFO"));
            assertThat(info).contains("cluster_state:ok", "cluster_slots_assigned:16384", "cluster_known_nodes:3", "cluster_size:3");
            assertThat(RedisCluster.call(node.port(), List.of("CONFIG", "GET", "notify-keyspace-events")))
                    .isEqualTo("notify-keyspace-events\n" + "AKE");
        }
        assertThat(cluster.hosts().split(",")).hasSize(3).allMatch(host -> host.startsWith("redis://127.0.0.1:"));
    }

    @Test
    void aKeyLivesOnOneNodeAndTheOthersRedirectToIt() throws IOException {
        int served = 0;
        for (RedisServer node : cluster.nodes()) {
            try {
                RedisCluster.call(node.port(), List.of("SET", "cluster-test-key", "v"));
                served++;
            } catch (IOException moved) {
                assertThat(moved).hasMessageContaining("MOVED");
            }
        }
        assertThat(served).isEqualTo(1);
        assertThatThrownBy(() -> {
            for (RedisServer node : cluster.nodes()) {
                RedisCluster.call(node.port(), List.of("MSET", "{a}x", "1", "{b}y", "2"));
            }
        }).hasMessageContaining("CROSSSLOT");
    }
}
