package io.maestro.registry;

import io.maestro.localstack.LocalStackResource;
import io.maestro.support.testing.HostileInputTests;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/**
 * Every registry operation against generated hostile input. A rejected registration would show in
 * {@code GET /v1/services}, which the walk checks after every rejected write.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL)
class HostileInputTest extends HostileInputTests {
    private static final String REVISION_RULE = "must be a revision: an integer from 0";

    @Test
    void aWatchCursorThatIsNoRevisionIsA400NamingTheFieldAndTheRule() throws Exception {
        String beyondLong = "9223372036854775808";
        assertCursorsRejected("/v1/services/hostile-watch/watch", "afterRevision", true, REVISION_RULE, beyondLong);
        assertCursorsRejected("/v1/services/hostile-watch/watch", "Last-Event-ID", false, REVISION_RULE, beyondLong);
    }
}
