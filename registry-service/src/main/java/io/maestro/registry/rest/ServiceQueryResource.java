package io.maestro.registry.rest;

import io.maestro.support.auth.RequiresScope;
import io.maestro.registry.ServiceSnapshot;
import io.maestro.registry.ServiceSummary;
import io.maestro.registry.service.RegistrationService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.LinkedHashMap;
import io.maestro.support.http.QueryFlags;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import java.util.List;
import java.util.Map;

/** What is registered: every service, or the instances of one. Tokens are never listed. */
@Path("/v1/services")
@Tag(name = "services", description = "What is registered: services, their instances, and the stream of their changes")
public class ServiceQueryResource {
    private static final String ATTRIBUTE_FILTER = "attr.";

    private final RegistrationService registrations;

    public ServiceQueryResource(RegistrationService registrations) {
        this.registrations = registrations;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RequiresScope("registry:read")
    @Operation(operationId = "listServices", summary = "Every service with at least one live instance",
            description = "Each service with its number of live instances and its current revision.")
    @APIResponse(responseCode = "200", description = "The services")
    public Uni<List<ServiceSummary>> services() {
        return registrations.services();
    }

    @GET
    @Path("{service}")
    @Produces(MediaType.APPLICATION_JSON)
    @RequiresScope(value = "registry:read", narrowedBy = "service")
    @Operation(operationId = "getService", summary = "The instances of a service (unknown service: revision 0, no instances)",
            description = "Query parameters attr.<key>=<value> keep only instances whose attribute <key> equals <value>; "
                    + "healthy=true only the instances that should get traffic: no failing health check, state active.")
    @APIResponse(responseCode = "200", description = "The service's live instances and revision")
    public Uni<ServiceSnapshot> service(@PathParam("service") String service,
                                        @Parameter(description = "true: only instances whose checks pass (or that have none) and whose state is active")
                                        @QueryParam("healthy") String healthy,
                                        @Context UriInfo uri) {
        boolean healthyOnly = QueryFlags.flag("healthy", healthy);
        Map<String, String> filter = new LinkedHashMap<>();
        uri.getQueryParameters().forEach((name, values) -> {
            if (name.startsWith(ATTRIBUTE_FILTER) && name.length() > ATTRIBUTE_FILTER.length() && !values.isEmpty()) {
                filter.put(name.substring(ATTRIBUTE_FILTER.length()), values.get(0));
            }
        });
        return registrations.snapshot(service, filter, healthyOnly);
    }
}
