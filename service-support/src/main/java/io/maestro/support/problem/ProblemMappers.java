package io.maestro.support.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.maestro.events.InvalidEventException;
import io.quarkus.logging.Log;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Turns every error into {@code application/problem+json}: a 4xx naming the field and the rule for the
 * caller's mistakes, a 500 with only an incident id (the stack trace goes to the log) for ours.
 */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        Response response = respond(new Problem(null, e.title(), e.status(), e.getMessage(), null, e.errors()));
        e.headers().forEach((name, value) -> response.getHeaders().putSingle(name, value));
        return response;
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v), v.getMessage()))
                .sorted(java.util.Comparator.comparing(Problem.FieldError::field))
                .toList();
        String detail = errors.stream().map(f -> f.field() + ": " + f.rule()).collect(Collectors.joining("; "));
        return respond(new Problem(null, "Invalid request", 400, detail, null, errors));
    }

    @ServerExceptionMapper
    public Response invalidEvent(InvalidEventException e) {
        return respond(new Problem(null, "Invalid request", 400, e.getMessage(), null, List.of()));
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        if (e instanceof ValueInstantiationException && e.getCause() instanceof InvalidEventException invalid) {
            return invalidEvent(invalid);
        }
        if (e instanceof ValueInstantiationException && e.getCause() instanceof ProblemException problem) {
            return problem(problem);
        }
        return respond(JsonProblems.describe(e));
    }

    /**
     * Quarkus REST has a built-in mapper for this subtype (a JSON value of the wrong shape), which would win over
     * {@link #unreadableJson}; naming it here keeps those answers problem+json naming the field.
     */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return unreadableJson(e);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String title = e.getResponse().getStatusInfo().getReasonPhrase();
        return respond(new Problem(null, title, status, e.getMessage(), null, List.of()));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        String incident = UUID.randomUUID().toString();
        Log.errorf(e, "incident %s: unexpected error", incident);
        return respond(new Problem(null, "Internal error", 500,
                "an unexpected error occurred; the service log has incident " + incident, null, List.of()));
    }

    public static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    /**
     * The field as the caller wrote it: {@code groups[0].tag} for a property of a request body, the parameter's name
     * for a parameter itself (name body parameters {@code body}). Method, parameter and container-element nodes
     * ({@code <list element>}) say nothing to a caller and are left out.
     */
    static String fieldOf(ConstraintViolation<?> violation) {
        StringBuilder field = new StringBuilder();
        String parameter = null;
        for (Path.Node node : violation.getPropertyPath()) {
            switch (node.getKind()) {
                case METHOD, CONSTRUCTOR, CROSS_PARAMETER, RETURN_VALUE -> {
                }
                case PARAMETER -> parameter = node.getName();
                default -> {
                    if (node.isInIterable()) {
                        field.append('[').append(node.getIndex() != null ? node.getIndex() : node.getKey()).append(']');
                    }
                    if (node.getKind() != ElementKind.CONTAINER_ELEMENT && node.getName() != null) {
                        field.append(field.isEmpty() ? "" : ".").append(node.getName());
                    }
                }
            }
        }
        return field.isEmpty() ? (parameter != null ? parameter : "body") : field.toString();
    }

}
