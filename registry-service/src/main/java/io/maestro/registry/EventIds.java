package io.maestro.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Event ids are name-based: the SHA-1 of {@code <epoch>/<service>/<revision>} laid out as a version-5 UUID, where
 * the epoch identifies the registry's data set ({@code P_epoch}). The Lua scripts compute them when a change is
 * logged; the same change has the same id on Kafka, in every watch and from every replica, so a consumer can
 * deduplicate by id or by revision. This is the same computation in Java.
 */
public final class EventIds {
    private EventIds() {
    }

    public static String of(String epoch, String service, long revision) {
        try {
            String h = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest((epoch + "/" + service + "/" + revision).getBytes(StandardCharsets.UTF_8)));
            String variant = Integer.toHexString(8 + Integer.parseInt(h.substring(16, 17), 16) % 4);
            return h.substring(0, 8) + "-" + h.substring(8, 12) + "-5" + h.substring(13, 16) + "-" + variant
                    + h.substring(17, 20) + "-" + h.substring(20, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
