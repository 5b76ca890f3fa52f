package io.maestro.console;

import io.maestro.client.http.MaestroApiException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A service's refusal that a handler did not turn into a page itself (an event stream asked for an unknown command
 * or a bad group name) is the service's status and words, never a 500.
 */
public class ServiceProblemMapper {
    @ServerExceptionMapper
    public Response refused(MaestroApiException e) {
        return Response.status(ServiceProblems.status(e)).type(MediaType.TEXT_PLAIN_TYPE)
                .entity(ServiceProblems.describe("the service", e) + "\n").build();
    }
}
