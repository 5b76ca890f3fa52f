package io.maestro.election.rest;

import io.maestro.election.GroupState;
import io.maestro.election.messaging.LeadershipWatch;
import io.maestro.election.messaging.LeadershipEventLog;
import io.maestro.election.service.ElectionService;
import io.maestro.support.auth.RequiresScope;
import io.maestro.support.problem.Names;
import io.maestro.support.problem.ProblemException;
import io.maestro.support.watch.WatchHub;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/** A group's state and its leadership changes as Server-Sent Events; both need {@code election:read} for the group. */
@Path("/v1/groups/{group}")
@Tag(name = "groups", description = "Who leads a group and holds each key, and the stream of leadership changes")
public class GroupResource {
    private final ElectionService election;
    private final LeadershipWatch watch;

    public GroupResource(ElectionService election, LeadershipWatch watch) {
        this.election = election;
        this.watch = watch;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RequiresScope(value = "election:read", narrowedBy = "group")
    @Operation(operationId = "getGroup", summary = "The group's leader, candidates and key holders",
            description = "The leader with its fencing token, the live candidates (eldest first) and the holder of each key. "
                    + "An unknown group has no leader and no candidates.")
    @APIResponse(responseCode = "200", description = "The group")
    public Uni<GroupState> group(@RestPath String group) {
        return election.group(group);
    }

    /** Who leads, and nothing else: what an observer (no candidate) asks. */
    public record GroupLeader(String group, GroupState.Leader leader) {
    }

    @GET
    @Path("/leader")
    @Produces(MediaType.APPLICATION_JSON)
    @RequiresScope(value = "election:read", narrowedBy = "group")
    @Operation(operationId = "getGroupLeader", summary = "Who leads the group",
            description = "The leader with its fencing token and since when, or null while nobody leads; asked without "
                    + "being a candidate (etcd's Observe, client-go's OnNewLeader). Follow /watch for each change.")
    @APIResponse(responseCode = "200", description = "The leader, or null")
    public Uni<GroupLeader> leader(@RestPath String group) {
        return election.group(group).map(state -> new GroupLeader(group, state.leader()));
    }

    @GET
    @Path("/watch")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RequiresScope(value = "election:read", narrowedBy = "group")
    @Operation(operationId = "watchGroup", summary = "Stream the group's leadership changes",
            description = "LeadershipChanged events as Server-Sent Events; each event's id is its position in the log, "
                    + "so a watcher resumes with Last-Event-ID or ?after=. A first comment line says the watcher is registered; "
                    + "keep-alive comments follow while nothing happens." + WatchHub.FELL_BEHIND_DESCRIPTION)
    @APIResponse(responseCode = "200", description = "The event stream", content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS))
    public Multi<OutboundSseEvent> watch(@RestPath String group, @RestQuery String after,
                                         @RestHeader("Last-Event-ID") String lastEventId, @Context Sse sse) {
        Names.require(group, "group");
        String from = after != null ? after : lastEventId;
        if (from != null && !LeadershipEventLog.isId(from)) {
            throw ProblemException.invalid(after != null ? "after" : "Last-Event-ID", "must be an event id such as 1700000000000-0");
        }
        return watch.watch(sse, group, from);
    }
}
