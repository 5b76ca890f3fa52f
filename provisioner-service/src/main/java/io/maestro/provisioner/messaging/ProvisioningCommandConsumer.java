package io.maestro.provisioner.messaging;

import io.maestro.events.EventCodec;
import io.maestro.events.ProvisioningCommand;
import io.maestro.events.Topics;
import io.maestro.provisioner.repository.Sessions;
import io.maestro.provisioner.service.CommandService;
import io.maestro.support.auth.AccessProblems;
import io.maestro.support.auth.AuthConfig;
import io.maestro.support.auth.Caller;
import io.maestro.support.auth.TokenVerifier;
import io.maestro.support.problem.ProblemException;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Commands from Kafka go through the same handler as REST ones, and through the same access check: the record
 * header {@value #AUTHORIZATION} carries the issuer's {@code Bearer <token>}, verified like a REST request's
 * {@code Authorization} header, and the token must hold the command type's scope ({@link #scopeOf}) for the
 * command's cluster. The command's {@code actor} is the token's subject, whatever the record said.
 *
 * <p>A command seen before changes nothing. A record refused (no valid token, a token without the scope) or that
 * cannot be decoded or fails validation is nacked, which sends it to {@code maestro.provisioning.commands.dlq}
 * (failure-strategy in application.properties) with the reason in {@code dead-letter-reason} and the HTTP status a
 * REST call would have had in {@value #REFUSAL_STATUS}; the consumer keeps going. The token never reaches the
 * dead-letter topic nor a log line: its header is taken off the record before anything else.
 */
@ApplicationScoped
public class ProvisioningCommandConsumer {
    /** The record header with the issuer's {@code Bearer <token>}. */
    public static final String AUTHORIZATION = io.maestro.events.ProvisioningCommand.AUTHORIZATION_HEADER;
    /** Dead-letter header: 400 (undecodable or invalid), 401 (no valid token) or 403 (token without the scope). */
    public static final String REFUSAL_STATUS = "maestro-refusal-status";
    private static final long REVOCATIONS_WAIT_MILLIS = 60_000;

    private final CommandService commands;
    private final TokenVerifier verifier;
    private final AuthConfig auth;

    public ProvisioningCommandConsumer(CommandService commands, TokenVerifier verifier, AuthConfig auth) {
        this.commands = commands;
        this.verifier = verifier;
        this.auth = auth;
    }

    /** The scope a command of this type needs on its cluster, as the REST operation doing the same. */
    public static String scopeOf(ProvisioningCommand.Type type) {
        return switch (type) {
            case LAUNCH, SCALE, STOP, START -> "provisioner:launch";
            case EXEC -> "provisioner:exec";
            case DESTROY -> "provisioner:destroy";
        };
    }

    @Incoming(Topics.PROVISIONING_COMMANDS)
    @Blocking
    public void consume(String payload, IncomingKafkaRecordMetadata<String, String> metadata) {
        ConsumerRecord<String, String> record = metadata.getRecord();
        // Off both the record and the connector's copy of its headers, which a dead-letter record repeats.
        List<String> authorization = takeAuthorization(metadata.getHeaders());
        takeAuthorization(record.headers());
        // As a REST call: the token first (401), then the body, then the scope on the command's cluster (403).
        Caller caller = auth.enabled() ? verify(metadata, authorization) : Caller.ANONYMOUS;
        ProvisioningCommand command;
        try {
            command = EventCodec.decode(payload, ProvisioningCommand.class);
        } catch (RuntimeException e) {
            throw refuse(metadata, 400, "undecodable command: " + e.getMessage(), e);
        }
        String scope = scopeOf(command.type());
        if (!caller.allows(scope, command.cluster())) {
            ProblemException missing = AccessProblems.missingScope(caller, scope, "cluster", command.cluster());
            Log.warnf("command %s (%s of %s) refused: %s", command.commandId(), command.type(), command.cluster(), missing.getMessage());
            throw refuse(metadata, 403, missing.getMessage(), missing);
        }
        ProvisioningCommand issued = command.withActor(caller.subject());
        try {
            Sessions.await(() -> commands.submit(issued));
        } catch (ProblemException e) {
            Log.warnf("command %s of %s rejected: %s", command.commandId(), caller.subject(), e.getMessage());
            throw refuse(metadata, e.status(), "invalid command " + command.commandId() + ": " + e.getMessage(), e);
        }
        Log.infof("command %s (%s of %s) from Kafka by %s (token %s)", command.commandId(), command.type(), command.cluster(),
                caller.subject(), caller.tokenId());
    }

    /**
     * The caller of the record's token, as {@link TokenVerifier} checks a REST request's; while the revocation list
     * is still loading (a 503 for REST), the record waits rather than be refused.
     */
    private Caller verify(IncomingKafkaRecordMetadata<String, String> metadata, List<String> authorization) {
        if (authorization.size() > 1) {
            // Which one would count is anyone's guess: refused, as a REST request's token must be unambiguous.
            throw refuse(metadata, 401, AccessProblems.invalidToken("the record has more than one authorization header").getMessage(), null);
        }
        long deadline = System.currentTimeMillis() + REVOCATIONS_WAIT_MILLIS;
        while (true) {
            try {
                return verifier.verify(authorization.isEmpty() ? null : authorization.get(0));
            } catch (ProblemException e) {
                if (e.status() != 503 || System.currentTimeMillis() > deadline) {
                    Log.warnf("command at %s-%d@%d refused: %s", metadata.getTopic(), metadata.getPartition(), metadata.getOffset(), e.getMessage());
                    throw refuse(metadata, e.status(), e.getMessage(), e);
                }
                sleep();
            }
        }
    }

    /** The values of the authorization header (any case), removed from the record so no copy of it carries the token. */
    private static List<String> takeAuthorization(Headers headers) {
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (Header header : headers) {
            if (header.key().equalsIgnoreCase(AUTHORIZATION)) {
                names.add(header.key());
                values.add(header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        names.forEach(headers::remove);
        return values;
    }

    /** The exception that nacks the record, its status in {@value #REFUSAL_STATUS} for the dead-letter record. */
    private static RuntimeException refuse(IncomingKafkaRecordMetadata<String, String> metadata, int status, String reason, Throwable cause) {
        metadata.getHeaders().remove(REFUSAL_STATUS);
        metadata.getHeaders().add(REFUSAL_STATUS, Integer.toString(status).getBytes(StandardCharsets.UTF_8));
        return new CommandRefused(reason, cause);
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the revoked tokens", e);
        }
    }

    /** A command that goes to the dead-letter topic; its message is the reason (never the token). */
    static final class CommandRefused extends RuntimeException {
        CommandRefused(String reason, Throwable cause) {
            super(reason, cause);
        }
    }
}
