package io.maestro.support.http;

import io.maestro.support.problem.Problem;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * Looks at the request URI as it came, before the HTTP layer decodes and normalises it: an encoded dot segment
 * ({@code keys/%2E%2E}) was folded into its parent and reached another operation (a resign instead of a key
 * withdrawal), and an encoded slash would let one path parameter span two segments. Both, a '%' that starts no
 * escape (which the HTTP layer answered with an empty 400) and a URI too long to be a real request are answered
 * here as problem+json, on every service, for every path.
 */
@ApplicationScoped
public class RequestUriGuard {
    /**
     * Longer URIs answer 414 here; room for the longest legal inventory expression percent-encoded (12,288). The
     * HTTP server's own line limit is above it (see the application defaults).
     */
    public static final int MAX_URI_LENGTH = 16384;
    /** Runs before every route, including the REST resources. */
    private static final int PRIORITY = 1000;

    void register(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    void check(RoutingContext context) {
        String uri = context.request().uri();
        Problem problem = problemWith(uri);
        if (problem == null) {
            context.next();
            return;
        }
        respond(context, problem);
    }

    private static void respond(RoutingContext context, Problem problem) {
        context.response().setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(Json.encode(problem));
    }

    /** The problem with a raw request URI (path and query as sent), or null when there is none. */
    static Problem problemWith(String uri) {
        if (uri.length() > MAX_URI_LENGTH) {
            return problem(414, "URI too long", "uri", "must be at most " + MAX_URI_LENGTH + " characters");
        }
        if (!validEscapes(uri)) {
            int query = uri.indexOf('?');
            return problem(400, "Invalid request", query >= 0 && validEscapes(uri.substring(0, query)) ? "query" : "path",
                    "every '%' must start an escape of two hexadecimal digits, such as %2F");
        }
        try {
            new URI(uri);
        } catch (URISyntaxException e) {
            // the check Quarkus would make (UriValidationHandover), answered with its reason instead of an empty 400
            return problem(400, "Invalid request", "uri", "is not a valid URI: " + e.getReason().toLowerCase(Locale.ROOT)
                    + " at index " + e.getIndex() + "; characters outside RFC 3986 must be percent-encoded");
        }
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        String lowerPath = path.toLowerCase(Locale.ROOT);
        if (lowerPath.contains("%2f") || lowerPath.contains("%5c")) {
            return problem(400, "Invalid request", "path", "a path segment must not contain an encoded '/' or '\\'");
        }
        for (String segment : lowerPath.split("/", -1)) {
            String decoded = segment.replace("%2e", ".");
            if (decoded.equals(".") || decoded.equals("..")) {
                return problem(400, "Invalid request", "path", "a path segment must not be '.' or '..', encoded or not");
            }
        }
        return null;
    }

    private static boolean validEscapes(String s) {
        for (int i = s.indexOf('%'); i >= 0; i = s.indexOf('%', i + 1)) {
            if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static Problem problem(int status, String title, String field, String rule) {
        return new Problem(null, title, status, field + ": " + rule, null, List.of(new Problem.FieldError(field, rule)));
    }
}
