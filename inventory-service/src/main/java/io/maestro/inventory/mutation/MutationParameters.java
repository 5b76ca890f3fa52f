package io.maestro.inventory.mutation;

import io.maestro.support.http.QueryFlags;
import io.maestro.support.problem.ProblemException;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Reads {@code ?dryRun} and {@code ?note} of every inventory mutation (POST, PUT, PATCH, DELETE under {@code /v1}) into
 * {@link MutationOptions}, checked at the edge. An allocation's and an import's {@code dryRun} are their own (they
 * answer what would be allocated, or each row's outcome: AllocationResource, ImportResource); their {@code note} is
 * kept like any other.
 */
public class MutationParameters {
    /** Longest note, in characters. */
    public static final int MAX_NOTE = 1024;

    @ServerRequestFilter
    public void read(ContainerRequestContext request) {
        String method = request.getMethod();
        String path = request.getUriInfo().getPath();
        path = path.startsWith("/") ? path : "/" + path;
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS") || !path.startsWith("/v1/")) {
            return;
        }
        var query = request.getUriInfo().getQueryParameters(true);
        String note = query.getFirst("note");
        if (note != null && (note.isBlank() || note.length() > MAX_NOTE || note.chars().anyMatch(c -> Character.isISOControl(c) && c != '\t'))) {
            throw ProblemException.invalid("note", "1 to " + MAX_NOTE + " characters, not all blank, without control characters");
        }
        boolean dryRun = !path.startsWith("/v1/allocations") && !path.startsWith("/v1/import") && QueryFlags.flag("dryRun", query.getFirst("dryRun"));
        if (dryRun || note != null) {
            MutationOptions.set(new MutationOptions(dryRun, note));
        }
    }
}
