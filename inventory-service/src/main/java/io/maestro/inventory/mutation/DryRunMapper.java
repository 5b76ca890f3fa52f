package io.maestro.inventory.mutation;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The answer of every mutation run with {@code ?dryRun=true}: 200 with the changes it would have made. */
public class DryRunMapper {
    @ServerExceptionMapper
    public Response answer(DryRun dryRun) {
        return Response.ok(new DryRun.Answer(true, dryRun.changes()), MediaType.APPLICATION_JSON_TYPE).build();
    }
}
