package io.maestro.election;

import io.maestro.events.LeadershipChanged;
import io.maestro.events.LeadershipChanged.Reason;
import io.maestro.localstack.LocalStackResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The group watch on the shared hub: the log holds every group, a watcher sees its own group's events only. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class GroupWatchTest {
    @TestHTTPResource("/")
    URI base;

    @Test
    void aWatcherResumingAfterAnIdGetsWhatItsGroupMissedInLogOrderAndNothingOfTheGroupsInBetween() {
        String group = "watch-" + UUID.randomUUID().toString().substring(0, 8);
        String other = "watch-other-" + UUID.randomUUID().toString().substring(0, 8);
        String a = Candidates.join(group, "a", 10_000, List.of());
        String seen;
        // from the start of the log: the whole history of the group
        try (SseWatch watch = new SseWatch(base, group, "0-0")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> watch.events().size() == 1);
            assertThat(watch.changes().get(0).leader()).isEqualTo("a");
            seen = watch.events().get(0).id();
        }
        // while nobody watches: another group changes before, between and after this group's changes
        Candidates.join(other, "x", 10_000, List.of());
        String b = Candidates.join(group, "b", 10_000, List.of());
        Candidates.join(other + "-2", "y", 10_000, List.of());
        Candidates.resign(group, "a", a).then().statusCode(204);
        Candidates.join(other + "-3", "z", 10_000, List.of());
        try (SseWatch resumed = new SseWatch(base, group, seen)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> resumed.events().size() >= 2);
            assertThat(resumed.changes()).extracting(LeadershipChanged::group).containsOnly(group);
            assertThat(resumed.changes()).extracting(LeadershipChanged::reason).containsExactly(Reason.RESIGNED, Reason.ELECTED);
            assertThat(resumed.changes().get(1).leader()).isEqualTo("b");
            // and live from there, still only this group
            Candidates.join(group, "c", 10_000, List.of());
            Candidates.join(other + "-4", "w", 10_000, List.of());
            await().atMost(Duration.ofSeconds(10)).during(Duration.ofMillis(300)).until(() -> resumed.events().size() == 2);
            Candidates.resign(group, "b", b).then().statusCode(204);
            await().atMost(Duration.ofSeconds(10)).until(() -> resumed.events().size() == 4);
            assertThat(resumed.changes().subList(2, 4)).extracting(LeadershipChanged::reason).containsExactly(Reason.RESIGNED, Reason.ELECTED);
            assertThat(resumed.changes().get(3).leader()).isEqualTo("c");
        }
    }
}
