package io.maestro.election.rest;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.maestro.support.problem.ProblemMappers;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A body field of the wrong JSON type ({@code "ttlMillis": "soon"}) raises a {@link MismatchedInputException},
 * for which Quarkus REST has its own, more specific mapper answering plain JSON. This one takes precedence and
 * answers the shared problem document naming the field.
 */
public class InputProblemMappers {
    private final ProblemMappers problems = new ProblemMappers();

    @ServerExceptionMapper(priority = 1)
    public Response mismatchedInput(MismatchedInputException e) {
        return problems.unreadableJson(e);
    }
}
