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
import io.maestro.provisioner.repository.Sessions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.maestro.provisioner.repository.CommandRepository;
import io.maestro.support.problem.ProblemException;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
    private final Vertx vertx;
    private final ProvisionerConfig config;

    public CommandService(CommandRepository commands,
                          ServiceInstance instance,
                          CommandValidator validator,
                          ClusterOperations operations,
                          ProvisioningEvents events,
                          Vertx vertx,
                          ProvisionerConfig config) {
        this.commands = commands;
        this.instance = instance;
        this.validator = validator;
        this.operations = operations;
        this.events = events;
        this.vertx = vertx;
        this.config = config;
    }

    @PreDestroy
    void shutdown() {
        workers.shutdownNow();
    }

    /** Accepts a command (or finds the earlier one with its id) and runs it in the background. */
    public Uni<CommandRecord> submit(ProvisioningCommand command) {
        return accept(command).chain(accepted -> {
            if (accepted) {
                workers.submit(() -> runIfClaimed(command));
            }
            return find(command.commandId());
        });
    }

    /**
     * Accepts a command, runs it on a worker and answers once it has finished, for REST calls that answer with the
     * result. A command accepted before (a retry) or run by another replica (this one died mid-way) is answered with
     * its outcome once it has one, else with where it is after the longest it may take.
     */
    public Uni<CommandRecord> submitAndWait(ProvisioningCommand command) {
        long seconds = command.timeoutSeconds() != null ? command.timeoutSeconds() : config.defaultExecTimeoutSeconds();
        Duration longest = Duration.ofSeconds(seconds).plus(config.commandLease());
        return accept(command)
                .chain(accepted -> accepted ? onWorker(() -> runIfClaimed(command)) : Uni.createFrom().voidItem())
                .chain(() -> finished(command.commandId(), System.nanoTime() + longest.toNanos()));
    }

    /**
     * The command once finished, or as it is at {@code deadline}; looked at again every 100 ms on a Vert.x timer, each
     * time in a session of its own (the caller's session would answer with the command as it first read it).
     */
    private Uni<CommandRecord> finished(String id, long deadline) {
        return Sessions.onOwnContext(() -> find(id)).chain(record -> record.status().finished() || System.nanoTime() - deadline >= 0
                ? Uni.createFrom().item(record)
                : Uni.createFrom().<Long>emitter(timer -> vertx.setTimer(100, timer::complete)).chain(() -> finished(id, deadline)));
    }

    private Uni<CommandRecord> find(String id) {
        return Panache.withSession(() -> commands.findCommand(id)).map(found -> found.orElseThrow());
    }

    /**
     * Runs blocking work on this replica's command workers and completes on the caller's Vert.x context, where its
     * Hibernate Reactive session lives.
     */
    private Uni<Void> onWorker(Runnable work) {
        return Uni.createFrom().deferred(() -> {
            Context caller = Vertx.currentContext();
            return Uni.createFrom().emitter(done -> workers.execute(() -> {
                try {
                    work.run();
                    caller.runOnContext(ignored -> done.complete(null));
                } catch (RuntimeException e) {
                    caller.runOnContext(ignored -> done.fail(e));
                }
            }));
        });
    }

    private Uni<Boolean> accept(ProvisioningCommand command) {
        return Uni.createFrom().deferred(() -> {
            // Checked before the id is looked up: it must never reach PostgreSQL, a URL or a log line malformed.
            CommandValidator.requireCommandId(command.commandId());
            return Panache.withSession(() -> commands.findCommand(command.commandId())
                    .chain(earlier -> earlier.isPresent()
                            ? Uni.createFrom().item(earlier)
                            : validator.validate(command)
                            .chain(() -> Panache.withTransaction(() -> commands.insertIfNew(command)
                                    .call(inserted -> inserted
                                            ? events.record(command, ProvisioningEvent.Type.ACCEPTED, null, command.type().name())
                                            : Uni.createFrom().voidItem())))
                            .chain(inserted -> inserted ? Uni.createFrom().item(Optional.<CommandRecord>empty()) : commands.findCommand(command.commandId()))))
                    .map(earlier -> {
                        if (earlier.isEmpty()) {
                            return true;
                        }
                        // A command seen before answers with the earlier command, even if it would not pass today's checks.
                        ProvisioningCommand first = earlier.get().request();
                        if (first.type() != command.type() || !first.cluster().equals(command.cluster())) {
                            throw ProblemException.conflict("command id '" + command.commandId() + "' was used for a "
                                    + first.type() + " of cluster '" + first.cluster() + "'");
                        }
                        return false;
                    });
        });
    }

    /** Runs a command stored and announced elsewhere (the DESTROY of an expiry) on this replica, if it claims it. */
    public void runSoon(ProvisioningCommand command) {
        workers.submit(() -> runIfClaimed(command));
    }

    private void runIfClaimed(ProvisioningCommand command) {
        String id = command.commandId();
        // EXEC only reads the cluster; everything else changes it, one command per cluster at a time.
        boolean exclusive = command.type() != ProvisioningCommand.Type.EXEC;
        if (!runningHere.add(id)) {
            return;
        }
        try {
            if (!Sessions.awaitTransaction(() -> commands.claim(id, command.cluster(), instance.id(), config.commandLease(), exclusive))) {
                return;
            }
            try {
                ClusterOperations.Outcome outcome = operations.run(command);
                // Recorded finished and announced in one transaction, like NODE_RUNNING.
                Sessions.awaitTransaction(() -> events.record(command, ProvisioningEvent.Type.SUCCEEDED, null, outcome.message())
                        .chain(() -> commands.finish(id, instance.id(), CommandStatus.SUCCEEDED, outcome.message(), ClusterOperations.json(outcome.result()))));
            } catch (RuntimeException e) {
                // The reason is shown to callers (command message, exec's 422): words only, the exception goes to the log.
                boolean expected = e instanceof DriverException || e instanceof ProblemException;
                String reason = expected ? Failures.clean(e.getMessage()) : "internal error: " + Failures.reason(e);
                if (expected) {
                    Log.warnf("command %s (%s of %s) failed: %s", id, command.type(), command.cluster(), reason);
                } else {
                    Log.errorf(e, "command %s (%s of %s) failed: %s", id, command.type(), command.cluster(), reason);
                }
                Sessions.awaitTransaction(() -> events.record(command, ProvisioningEvent.Type.FAILED, null, reason)
                        .chain(() -> commands.finish(id, instance.id(), CommandStatus.FAILED, reason, null)));
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
            List<String> mine = List.copyOf(runningHere);
            Sessions.awaitTransaction(() -> commands.renew(mine, instance.id(), config.commandLease()));
            for (CommandRecord waiting : Sessions.awaitSession(() -> commands.claimable(20, config.commandLease()))) {
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
