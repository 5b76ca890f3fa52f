package io.maestro.provisioner.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.maestro.support.watch.SseClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The command-events watch takes its settings from {@code provisioner.watch.*} (and works as before with them). */
@QuarkusTest
@TestProfile(CommandEventsWatchSettingsTest.FastKeepAlive.class)
class CommandEventsWatchSettingsTest extends CommandEventsWatchTest {
    public static final class FastKeepAlive implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("provisioner.watch.keep-alive", "100ms");
        }
    }

    @Test
    void anIdleWatcherGetsKeepAliveCommentsAtTheConfiguredInterval() throws Exception {
        try (SseClient watcher = watch(command(), Map.of())) {
            // the default (15s) would send none of these within the wait
            await().atMost(Duration.ofSeconds(10)).until(() -> watcher.comments.stream().filter("keep-alive"::equals).count() >= 3);
            assertThat(watcher.events).isEmpty();
        }
    }
}
