package io.maestro.provisioner.messaging;

import io.maestro.provisioner.repository.Sessions;
import io.maestro.events.ProvisioningCommand;
import io.maestro.events.ProvisioningEvent;
import io.maestro.localstack.KafkaServer;
import io.maestro.localstack.LocalStackResource;
import io.maestro.provisioner.repository.CommandRepository;
import io.maestro.support.testing.TestDatabase;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.maestro.provisioner.KafkaEvents.eventsOf;
import static io.maestro.provisioner.TestCommands.stop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The provisioner's events go to Kafka through its outbox ({@code command_event}) and the suite's relay: an event
 * commits with the state it announces or not at all, and events stored while Kafka is down go out when it is back.
 */
@QuarkusTest
@WithTestResource(value = LocalStackResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = LocalStackResource.DATABASE_ARG, value = "maestro_provisioner"))
class ProvisioningEventsOutboxTest {
    @Inject
    ProvisioningEvents events;
    @Inject
    CommandRepository commands;
    final TestDatabase sql = new TestDatabase();

    @Test
    void anEventReachesKafkaOnlyWhenItsTransactionCommits() {
        ProvisioningCommand command = stop("outbox-commit-1", "outbox-commit");
        Sessions.awaitTransaction(() -> commands.insertIfNew(command));
        String[] rolledBack = new String[1];
        assertThatThrownBy(() -> Sessions.awaitTransaction(() -> events.record(command, ProvisioningEvent.Type.ACCEPTED, null, "never committed")
                .invoke(event -> rolledBack[0] = event.eventId())
                .invoke(event -> {
                    throw new IllegalStateException("the state change failed");
                }))).hasMessageContaining("the state change failed");
        assertThat(rolledBack[0]).as("the event was written before the failure").isNotNull();
        String committed = Sessions.awaitTransaction(() -> events.record(command, ProvisioningEvent.Type.SUCCEEDED, null, "committed")).eventId();

        List<ProvisioningEvent> seen = await().atMost(Duration.ofSeconds(30)).until(() -> eventsOf("outbox-commit"),
                list -> list.stream().anyMatch(e -> e.eventId().equals(committed)));
        // the rolled-back event had the lower position: had it been relayed, it would have arrived first
        assertThat(seen).extracting(ProvisioningEvent::eventId).doesNotContain(rolledBack[0]).containsOnlyOnce(committed);
        assertThat(Sessions.awaitSession(() -> commands.events(command.commandId()))).extracting(stored -> stored.event().eventId()).containsExactly(committed);
    }

    @Test
    void eventsStoredWhileKafkaIsDownArePublishedInOrderWhenItIsBack() throws Exception {
        ProvisioningCommand command = stop("outbox-down-1", "outbox-down");
        Sessions.awaitTransaction(() -> commands.insertIfNew(command));
        KafkaServer kafka = LocalStackResource.stack().kafka();
        kafka.stop();
        try {
            for (int i = 0; i < 5; i++) {
                String message = "event " + i;
                Sessions.awaitTransaction(() -> events.record(command, ProvisioningEvent.Type.ACCEPTED, null, message));
            }
        } finally {
            kafka.start(Duration.ofSeconds(60));
        }
        List<ProvisioningEvent> seen = await().atMost(Duration.ofSeconds(60)).until(() -> eventsOf("outbox-down"), list -> list.size() >= 5);
        assertThat(seen).extracting(ProvisioningEvent::message).containsExactly("event 0", "event 1", "event 2", "event 3", "event 4");
    }
}
