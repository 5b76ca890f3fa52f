package io.maestro.provisioner.rest;

import io.maestro.provisioner.repository.CommandRepository;
import io.maestro.provisioner.service.CommandValidator;
import io.maestro.support.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Method;

/**
 * An event stream of a command that does not exist is a 404 problem. It has to be answered here, before the method:
 * a stream's headers (200) are sent as soon as it is subscribed to, after which an error can only cut it short.
 * Runs after the access check, so a caller without the scope learns nothing about which commands exist.
 */
public class KnownCommandFilter {
    /** On an operation whose {@code {commandId}} must name a stored command. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    public @interface KnownCommand {
    }

    private final CommandRepository commands;

    public KnownCommandFilter(CommandRepository commands) {
        this.commands = commands;
    }

    @ServerRequestFilter(priority = Priorities.USER)
    public Uni<Void> requireKnownCommand(ContainerRequestContext request, ResourceInfo resource) {
        Method method = resource.getResourceMethod();
        if (method == null || !method.isAnnotationPresent(KnownCommand.class)) {
            return Uni.createFrom().voidItem();
        }
        String commandId = request.getUriInfo().getPathParameters().getFirst("commandId");
        CommandValidator.requireCommandId(commandId);
        return Panache.withSession(() -> commands.findCommand(commandId))
                .invoke(found -> found.orElseThrow(() -> ProblemException.notFound("no command '" + commandId + "'")))
                .replaceWithVoid();
    }
}
