package io.maestro.election.rest;

import io.maestro.election.service.ElectionService;
import io.maestro.support.auth.RequiresScope;
import io.maestro.support.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

import java.util.regex.Pattern;

/** The groups that have a live candidate, by name, for an observer that does not know their names (the console). */
@Path("/v1/groups")
@Tag(name = "groups", description = "Who leads a group and holds each key, and the stream of leadership changes")
public class GroupListResource {
    static final int MAX_LIMIT = 1000;
    private static final Pattern PREFIX = Pattern.compile("[a-z0-9._-]{0,128}");

    private final ElectionService election;

    public GroupListResource(ElectionService election) {
        this.election = election;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RequiresScope("election:read")
    @Operation(operationId = "listGroups", summary = "The groups with a live candidate",
            description = "Their names in order, at most limit (1 to " + MAX_LIMIT + ", default " + MAX_LIMIT + "), only those "
                    + "starting with prefix when given; truncated says whether more matched. A group whose last candidate "
                    + "left is not listed.")
    @APIResponse(responseCode = "200", description = "The groups")
    public Uni<ElectionService.GroupList> groups(@RestQuery String prefix, @RestQuery String limit) {
        if (prefix != null && !PREFIX.matcher(prefix).matches()) {
            throw ProblemException.invalid("prefix", "must be at most 128 of a-z 0-9 . _ - (the start of a group name)");
        }
        return election.groups(prefix == null || prefix.isEmpty() ? null : prefix, limit(limit));
    }

    private static int limit(String text) {
        if (text == null || text.isEmpty()) {
            return MAX_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // the rule below
        }
        throw ProblemException.invalid("limit", "must be a whole number from 1 to " + MAX_LIMIT);
    }
}
