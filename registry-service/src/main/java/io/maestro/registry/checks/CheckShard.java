package io.maestro.registry.checks;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/** Which check shard an instance's checks are in: the same on every replica, for as long as the shard count stays. */
public final class CheckShard {
    private CheckShard() {
    }

    public static int of(String service, String instanceId, int shards) {
        CRC32 crc = new CRC32();
        crc.update((service + "/" + instanceId).getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % shards);
    }

    /** The election key of check shard {@code shard}. */
    public static String key(int shard) {
        return "checks-" + shard;
    }
}
