package io.maestro.support.http;

import io.maestro.support.json.JsonHardening;
import io.maestro.support.problem.ProblemException;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.List;
import java.util.Map;

/**
 * U+0000 in a path or query parameter is refused with a 400 naming the parameter, on every operation of every
 * service, before a resource sees it: PostgreSQL cannot store or compare the byte ({@code ?value=%00} and
 * {@code /v1/commands/x%00} answered 500), and no name or value of ours may hold it.
 */
public class ParameterGuard {

    @ServerRequestFilter
    public void refuseNul(UriInfo uri) {
        refuseNul(uri.getPathParameters(true));
        refuseNul(uri.getQueryParameters(true));
    }

    private static void refuseNul(MultivaluedMap<String, String> parameters) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            if (parameter.getKey().indexOf('\u0000') >= 0
                    || parameter.getValue().stream().anyMatch(v -> v != null && v.indexOf('\u0000') >= 0)) {
                String name = parameter.getKey().replace('\u0000', '?');
                throw ProblemException.invalid(name, JsonHardening.NUL_RULE);
            }
        }
    }
}
