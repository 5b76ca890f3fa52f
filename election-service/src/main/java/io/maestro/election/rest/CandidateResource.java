package io.maestro.election.rest;

import io.maestro.election.CandidateLease;
import io.maestro.election.service.ElectionService;
import io.maestro.support.auth.CurrentCaller;
import io.maestro.support.auth.RequiresScope;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

import java.net.URI;
import java.util.List;

/**
 * The candidates of a group: join, heartbeat, declare and withdraw keys, resign (msc's unit lifecycle). Each operation
 * needs {@code election:campaign} for the group (a narrowed scope must match the group name); on top of it, only the
 * candidate's X-Maestro-Token acts for a candidate that joined. Leadership changes name the token's subject as actor.
 */
@Path("/v1/groups/{group}/candidates")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "candidates", description = "Join a group, keep the lease with heartbeats, declare and withdraw keys, resign")
public class CandidateResource {
    private final ElectionService election;
    private final CurrentCaller caller;

    public CandidateResource(ElectionService election, CurrentCaller caller) {
        this.election = election;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresScope(value = "election:campaign", narrowedBy = "group")
    @Operation(operationId = "joinGroup", summary = "Join a group as a candidate",
            description = "Answers the candidate's token (every later call of the candidate presents it as X-Maestro-Token), "
                    + "its lease, and its leadership if it got any. A candidate id is unique in its group while its lease lives. "
                    + "priority (0 to 1000): the highest live priority leads; joining above the leader's priority takes the "
                    + "seat by a graceful handover.")
    @APIResponse(responseCode = "201", description = "Joined", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = JoinResponse.class)))
    @APIResponse(responseCode = "409", description = "A live candidate of the group already has this id")
    public Uni<Response> join(@RestPath String group, JoinRequest request) {
        JoinRequest body = request == null ? new JoinRequest(null, null, null, null, null) : request;
        return election.join(group, body.candidateId(), body.ttlMillis(), body.keys(), body.metadata(), body.priority(), caller.subject())
                .map(joined -> Response.created(URI.create("/v1/groups/" + group + "/candidates/" + joined.candidateId()))
                        .entity(JoinResponse.of(joined)).build());
    }

    @PUT
    @Path("/{candidateId}/heartbeat")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresScope(value = "election:campaign", narrowedBy = "group", audited = false)
    @Operation(operationId = "heartbeatCandidate", summary = "Renew the candidate's lease",
            description = "Answers what the candidate holds now: leadership, keys with their fencing tokens, lease remaining. "
                    + "releasedKeys hands keys over that the candidate no longer serves; releasedLeadership: true hands the "
                    + "group's seat to a candidate of a higher priority once told releasingLeadership.")
    @APIResponse(responseCode = "200", description = "Renewed")
    @APIResponse(responseCode = "403", description = "No X-Maestro-Token, or not the candidate's token")
    @APIResponse(responseCode = "404", description = "The candidate holds no lease (expired or resigned): join again")
    public Uni<CandidateLease> heartbeat(@RestPath String group, @RestPath String candidateId,
                                         @RestHeader(ElectionService.TOKEN_HEADER) String token, HeartbeatRequest request) {
        List<String> released = request == null ? null : request.releasedKeys();
        boolean releasedLeadership = request != null && Boolean.TRUE.equals(request.releasedLeadership());
        return election.heartbeat(group, candidateId, token, released, releasedLeadership, caller.subject());
    }

    @PUT
    @Path("/{candidateId}/keys/{key}")
    @RequiresScope(value = "election:campaign", narrowedBy = "group")
    @Operation(operationId = "addCandidateKey", summary = "Declare a key the candidate can serve (msc addKey)",
            description = "The key is spread among the candidates that declared it; the answer says what the candidate holds.")
    @APIResponse(responseCode = "200", description = "Declared")
    @APIResponse(responseCode = "403", description = "No X-Maestro-Token, or not the candidate's token")
    @APIResponse(responseCode = "404", description = "The candidate holds no lease (expired or resigned)")
    public Uni<CandidateLease> addKey(@RestPath String group, @RestPath String candidateId, @RestPath String key,
                                      @RestHeader(ElectionService.TOKEN_HEADER) String token) {
        return election.addKey(group, candidateId, key, token, caller.subject());
    }

    @DELETE
    @Path("/{candidateId}/keys/{key}")
    @RequiresScope(value = "election:campaign", narrowedBy = "group")
    @Operation(operationId = "removeCandidateKey", summary = "Withdraw a key (msc removeKey)",
            description = "A key the candidate held passes to another candidate that declared it, at once.")
    @APIResponse(responseCode = "200", description = "Withdrawn")
    @APIResponse(responseCode = "403", description = "No X-Maestro-Token, or not the candidate's token")
    @APIResponse(responseCode = "404", description = "The candidate holds no lease (expired or resigned)")
    public Uni<CandidateLease> removeKey(@RestPath String group, @RestPath String candidateId, @RestPath String key,
                                         @RestHeader(ElectionService.TOKEN_HEADER) String token) {
        return election.removeKey(group, candidateId, key, token, caller.subject());
    }

    @DELETE
    @Path("/{candidateId}")
    @RequiresScope(value = "election:campaign", narrowedBy = "group")
    @Operation(operationId = "resignCandidate", summary = "Resign from the group",
            description = "The candidate's leadership and keys pass to other candidates at once, without waiting for the lease.")
    @APIResponse(responseCode = "204", description = "Resigned")
    @APIResponse(responseCode = "403", description = "No X-Maestro-Token, or not the candidate's token")
    @APIResponse(responseCode = "404", description = "The candidate holds no lease (expired or resigned)")
    public Uni<Response> resign(@RestPath String group, @RestPath String candidateId,
                                @RestHeader(ElectionService.TOKEN_HEADER) String token) {
        return election.resign(group, candidateId, token, caller.subject()).map(done -> Response.noContent().build());
    }
}
