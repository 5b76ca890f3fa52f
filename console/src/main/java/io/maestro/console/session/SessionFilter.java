package io.maestro.console.session;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import java.net.URI;
import java.util.Set;

/**
 * Every page needs a signed-in session, except signing in itself: a browser without one is sent to the sign-in page
 * (an htmx request or an event stream gets 401). A request that changes something must come from the console's own
 * pages: one a browser marks cross-site, or whose {@code Origin} is another site, is refused before anything runs
 * (each form also carries the session's CSRF secret, checked by the page). No page is cached.
 */
public class SessionFilter {
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    private static final Set<String> OPEN_PATHS = Set.of("/login", "/login/link");

    private final Sessions sessions;
    private final CurrentSession current;

    public SessionFilter(Sessions sessions, CurrentSession current) {
        this.sessions = sessions;
        this.current = current;
    }

    @ServerRequestFilter
    public Response check(ContainerRequestContext request) {
        if (!SAFE_METHODS.contains(request.getMethod()) && crossSite(request)) {
            return Response.status(403).type(MediaType.TEXT_PLAIN_TYPE)
                    .entity("refused: a request that changes something must come from the console's own pages\n").build();
        }
        String path = request.getUriInfo().getPath();
        if (OPEN_PATHS.contains(path)) {
            return null;
        }
        Cookie cookie = request.getCookies().get(Sessions.COOKIE);
        ConsoleSession session = cookie == null ? null : sessions.find(cookie.getValue()).filter(ConsoleSession::signedIn).orElse(null);
        if (session == null) {
            boolean page = "GET".equals(request.getMethod()) && request.getHeaderString("HX-Request") == null
                    && !acceptsOnlyEvents(request);
            return page ? Response.seeOther(URI.create("/login")).build()
                    : Response.status(401).header("HX-Redirect", "/login").type(MediaType.TEXT_PLAIN_TYPE)
                    .entity("sign in first: /login\n").build();
        }
        current.set(session);
        return null;
    }

    @ServerResponseFilter
    public void noStore(ContainerResponseContext response) {
        response.getHeaders().putSingle(HttpHeaders.CACHE_CONTROL, "no-store");
    }

    private static boolean acceptsOnlyEvents(ContainerRequestContext request) {
        String accept = request.getHeaderString(HttpHeaders.ACCEPT);
        return accept != null && accept.startsWith(MediaType.SERVER_SENT_EVENTS);
    }

    /** A browser's own word (Sec-Fetch-Site), else the Origin compared with the address the request came to. */
    private static boolean crossSite(ContainerRequestContext request) {
        String site = request.getHeaderString("Sec-Fetch-Site");
        if (site != null) {
            return !site.equals("same-origin") && !site.equals("none");
        }
        String origin = request.getHeaderString("Origin");
        if (origin == null) {
            return false;
        }
        URI base = request.getUriInfo().getBaseUri();
        String own = base.getScheme() + "://" + base.getRawAuthority();
        return !origin.equalsIgnoreCase(own);
    }
}
