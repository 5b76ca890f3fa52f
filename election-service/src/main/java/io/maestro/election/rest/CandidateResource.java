package io.maestro.election.rest;

import io.maestro.election.CandidateLease;
import io.maestro.election.service.ElectionService;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

import java.net.URI;
import java.util.List;

/** The candidates of a group: join, heartbeat, declare and withdraw keys, resign (msc's unit lifecycle). */
@Path("/v1/groups/{group}/candidates")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "candidates")
public class CandidateResource {
    private final ElectionService election;

    public CandidateResource(ElectionService election) {
        this.election = election;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Join a group as a candidate; answers the candidate's token, and its leadership if it got any")
    public Uni<Response> join(@RestPath String group, JoinRequest request) {
        JoinRequest body = request == null ? new JoinRequest(null, null, null, null) : request;
        return election.join(group, body.candidateId(), body.ttlMillis(), body.keys(), body.metadata())
                .map(joined -> Response.created(URI.create("/v1/groups/" + group + "/candidates/" + joined.candidateId()))
                        .entity(JoinResponse.of(joined)).build());
    }

    @PUT
    @Path("/{candidateId}/heartbeat")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Renew the lease; answers what the candidate holds (404 once the lease is lost)")
    public Uni<CandidateLease> heartbeat(@RestPath String group, @RestPath String candidateId,
                                         @RestHeader(ElectionService.TOKEN_HEADER) String token, HeartbeatRequest request) {
        List<String> released = request == null ? null : request.releasedKeys();
        return election.heartbeat(group, candidateId, token, released);
    }

    @PUT
    @Path("/{candidateId}/keys/{key}")
    @Operation(summary = "Declare a key the candidate can serve (msc addKey)")
    public Uni<CandidateLease> addKey(@RestPath String group, @RestPath String candidateId, @RestPath String key,
                                      @RestHeader(ElectionService.TOKEN_HEADER) String token) {
        return election.addKey(group, candidateId, key, token);
    }

    @DELETE
    @Path("/{candidateId}/keys/{key}")
    @Operation(summary = "Withdraw a key (msc removeKey); a held key passes to another candidate at once")
    public Uni<CandidateLease> removeKey(@RestPath String group, @RestPath String candidateId, @RestPath String key,
                                         @RestHeader(ElectionService.TOKEN_HEADER) String token) {
        return election.removeKey(group, candidateId, key, token);
    }

    @DELETE
    @Path("/{candidateId}")
    @Operation(summary = "Resign: leadership and keys pass to other candidates at once")
    public Uni<Response> resign(@RestPath String group, @RestPath String candidateId,
                                @RestHeader(ElectionService.TOKEN_HEADER) String token) {
        return election.resign(group, candidateId, token).map(done -> Response.noContent().build());
    }
}
