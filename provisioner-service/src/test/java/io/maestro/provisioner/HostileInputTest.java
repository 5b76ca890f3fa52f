package io.maestro.provisioner;

import io.maestro.localstack.LocalStackResource;
import io.maestro.provisioner.repository.Sessions;
import io.maestro.support.testing.TestDatabase;
import io.maestro.support.testing.HostileInputTests;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.maestro.events.ProvisioningCommand;
import io.maestro.provisioner.repository.CommandRepository;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.UUID;

/** Every documented provisioner operation against a hostile caller; a rejected request stores no command or cluster. */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_provisioner"))
class HostileInputTest extends HostileInputTests {
    final TestDatabase sql = new TestDatabase();
    @Inject
    CommandRepository commands;

    @Override
    protected String writtenUnder(String name) {
        return writtenUnder(sql, name);
    }

    @Test
    void anEventsCursorThatIsNoEventPositionIsA400NamingTheFieldAndTheRule() throws Exception {
        String id = "hostile-watch-" + UUID.randomUUID();
        Sessions.awaitTransaction(() -> commands.insertIfNew(ProvisioningCommand.destroy(id, "hostile-watch")));
        sql.update("update command set status = 'SUCCEEDED' where id = $1", id);
        assertCursorsRejected("/v1/commands/" + id + "/events", "Last-Event-ID", false,
                "must be the id of an event of this stream (an integer from 0)", "9999999999999999999", "9223372036854775808");
    }

    /** A command or cluster stored under {@code name}, or null: what a refused request must not leave. */
    static String writtenUnder(TestDatabase sql, String name) {
        var rows = sql.query("select id, type, cluster from command where cluster = $1 or id = $1 "
                + "union all select name, 'cluster', name from cluster where name = $1", name);
        return rows.isEmpty() ? null : rows.size() + " rows, first " + rows.get(0).getString(1) + " " + rows.get(0).getString(0);
    }
}
