package io.maestro.provisioner.service;

import org.eclipse.microprofile.context.ThreadContext;
import org.eclipse.microprofile.context.ManagedExecutor;
import io.maestro.events.ProvisioningCommand;
import io.maestro.events.ProvisioningEvent;
import io.maestro.provisioner.CommandRecord;
import io.maestro.provisioner.Failures;
import io.maestro.support.registration.ServiceInstance;
import io.maestro.provisioner.CommandStatus;
import io.maestro.provisioner.config.ProvisionerConfig;
import io.maestro.provisioner.driver.DriverException;
import io.maestro.provisioner.messaging.ProvisioningEvents;
import io.maestro.provisioner.repository.Sql;
import io.maestro.provisioner.repository.CommandRepository;
import io.maestro.support.problem.ProblemException;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one handler of commands, from REST and Kafka alike: store once by {@code commandId} (a command seen before
 * changes nothing), announce ACCEPTED, then let exactly one replica run it by claiming it in PostgreSQL under a
 * lease. A replica that dies mid-command lets its lease lapse and another one resumes the command.
 */
@ApplicationScoped
public class CommandService {
    private final Set<String> runningHere = ConcurrentHashMap.newKeySet();
    /** Runs at most four commands of this replica at once; the others wait their turn here. */
    private final ManagedExecutor workers = ManagedExecutor.builder().maxAsync(4).maxQueued(-1)
            .propagated(ThreadContext.NONE).cleared(ThreadContext.ALL_REMAINING).build();

    private final CommandRepository commands;
    private final ServiceInstance instance;
    private final CommandValidator validator;
    private final ClusterOperations operations;
    private final ProvisioningEvents events;
    private final Sql sql;
    private final ProvisionerConfig config;

    public CommandService(CommandRepository commands,
                          ServiceInstance instance,
                          CommandValidator validator,
                          ClusterOperations operations,
                          ProvisioningEvents events,
                          Sql sql,
                          ProvisionerConfig config) {
        this.commands = commands;
        this.instance = instance;
        this.validator = validator;
        this.operations = operations;
        this.events = events;
        this.sql = sql;
        this.config = config;
    }

    @PreDestroy
    void shutdown() {
        workers.shutdownNow();
    }

    /** Accepts a command (or finds the earlier one with its id) and runs it in the background. */
    public CommandRecord submit(ProvisioningCommand command) {
        if (accept(command)) {
            workers.submit(() -> runIfClaimed(command));
        }
        return commands.find(command.commandId()).orElseThrow();
    }

    /** Accepts a command and runs it on the calling (worker) thread, for REST calls that answer with the result. */
    public CommandRecord submitAndWait(ProvisioningCommand command) {
        if (accept(command)) {
            runIfClaimed(command);
        }
        // Run here, or (a retry, or a replica that died mid-way) by another replica: answer with its outcome once
        // it has one, else with where it is after the longest it may take.
        long seconds = command.timeoutSeconds() != null ? command.timeoutSeconds() : config.defaultExecTimeoutSeconds();
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).plus(config.commandLease()).toNanos();
        CommandRecord record = commands.find(command.commandId()).orElseThrow();
        while (!record.status().finished() && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            record = commands.find(command.commandId()).orElseThrow();
        }
        return record;
    }

    private boolean accept(ProvisioningCommand command) {
        // Checked before the id is looked up: it must never reach PostgreSQL, a URL or a log line malformed.
        CommandValidator.requireCommandId(command.commandId());
        // A command seen before answers with the earlier command, even if it would not pass today's checks.
        var earlier = commands.find(command.commandId());
        if (earlier.isEmpty()) {
            validator.validate(command);
            boolean inserted = sql.inTransaction(client -> {
                if (!commands.insertIfNew(command)) {
                    return false;
                }
                events.record(command, ProvisioningEvent.Type.ACCEPTED, null, command.type().name());
                return true;
            });
            if (inserted) {
                return true;
            }
            earlier = commands.find(command.commandId());
        }
        ProvisioningCommand first = earlier.orElseThrow().request();
        if (first.type() != command.type() || !first.cluster().equals(command.cluster())) {
            throw ProblemException.conflict("command id '" + command.commandId() + "' was used for a "
                    + first.type() + " of cluster '" + first.cluster() + "'");
        }
        return false;
    }

    private void runIfClaimed(ProvisioningCommand command) {
        String id = command.commandId();
        // EXEC only reads the cluster; everything else changes it, one command per cluster at a time.
        boolean exclusive = command.type() != ProvisioningCommand.Type.EXEC;
        if (!runningHere.add(id)) {
            return;
        }
        try {
            if (!commands.claim(id, command.cluster(), instance.id(), config.commandLease(), exclusive)) {
                return;
            }
            try {
                ClusterOperations.Outcome outcome = operations.run(command);
                // Recorded finished and announced in one transaction, like NODE_RUNNING.
                sql.inTransaction(() -> {
                    events.record(command, ProvisioningEvent.Type.SUCCEEDED, null, outcome.message());
                    commands.finish(id, instance.id(), CommandStatus.SUCCEEDED, outcome.message(), ClusterOperations.json(outcome.result()));
                });
            } catch (RuntimeException e) {
                // The reason is shown to callers (command message, exec's 422): words only, the exception goes to the log.
                boolean expected = e instanceof DriverException || e instanceof ProblemException;
                String reason = expected ? Failures.clean(e.getMessage()) : "internal error: " + Failures.reason(e);
                if (expected) {
                    Log.warnf("command %s (%s of %s) failed: %s", id, command.type(), command.cluster(), reason);
                } else {
                    Log.errorf(e, "command %s (%s of %s) failed: %s", id, command.type(), command.cluster(), reason);
                }
                sql.inTransaction(() -> {
                    events.record(command, ProvisioningEvent.Type.FAILED, null, reason);
                    commands.finish(id, instance.id(), CommandStatus.FAILED, reason, null);
                });
            }
        } catch (RuntimeException e) {
            Log.errorf(e, "command %s could not be run; another sweep will retry it", id);
        } finally {
            runningHere.remove(id);
        }
    }

    /** Keeps this replica's leases alive and picks up queued or abandoned commands. */
    @Scheduled(every = "${provisioner.sweep-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        try {
            commands.renew(List.copyOf(runningHere), instance.id(), config.commandLease());
            for (CommandRecord waiting : commands.claimable(20, config.commandLease())) {
                if (!runningHere.contains(waiting.id())) {
                    workers.submit(() -> runIfClaimed(waiting.request()));
                }
            }
        } catch (RuntimeException e) {
            // PostgreSQL unreachable (or the service is stopping): the next sweep tries again.
            Log.debugf("sweep skipped: %s", e.getMessage());
        }
    }
}
