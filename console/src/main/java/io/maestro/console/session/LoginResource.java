package io.maestro.console.session;

import io.maestro.client.http.MaestroApiException;
import io.maestro.console.ConsoleClients;
import io.maestro.console.ConsoleConfig;
import io.maestro.console.Page;
import io.quarkus.logging.Log;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;

/**
 * Signing in with a suite token (pasted, or the local admin's through {@code ./maestro up}'s link) and out. The
 * token is accepted only when a service accepts it: the console asks the registry with it, and a 401 is shown as the
 * registry worded it. The browser then holds only the session's id.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class LoginResource {
    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login(Page page, String error);
    }

    private final Sessions sessions;
    private final ConsoleClients clients;
    private final ConsoleConfig.LoginLink link;

    public LoginResource(Sessions sessions, ConsoleClients clients, ConsoleConfig config) {
        this.sessions = sessions;
        this.clients = clients;
        this.link = config.loginLink();
    }

    @GET
    @Path("login")
    public Response form(@CookieParam(Sessions.COOKIE) String id, @Context UriInfo uri) {
        ConsoleSession session = sessions.find(id).orElse(null);
        if (session != null && session.signedIn()) {
            return Response.seeOther(URI.create("/")).build();
        }
        if (session == null) {
            session = sessions.anonymous();
        }
        return page(session, null, 200, uri);
    }

    @POST
    @Path("login")
    @Produces(MediaType.TEXT_HTML)
    public Response signIn(@CookieParam(Sessions.COOKIE) String id, @FormParam("csrf") String csrf,
                           @FormParam("token") String token, @Context UriInfo uri) {
        ConsoleSession session = sessions.find(id).orElse(null);
        if (session == null || !Sessions.csrfMatches(session, csrf)) {
            // A stale page (the console restarted, the session ended) or a forged form: a fresh form, nothing else.
            return page(sessions.anonymous(), "The sign-in form had expired; paste the token again.", 400, uri);
        }
        String given = token == null ? "" : token.strip();
        if (given.isEmpty()) {
            return page(session, "token: paste a suite token (maestro token create ... prints one).", 400, uri);
        }
        if (TokenClaims.read(given).isEmpty()) {
            return page(session, "token: this is not a suite token (a JSON Web Token with a subject, scopes and an expiry).", 400, uri);
        }
        String refusal = refusal(given);
        if (refusal != null) {
            return page(session, refusal, 401, uri);
        }
        return signedIn(sessions.signIn(given, session.id()), uri);
    }

    /**
     * The local admin's sign-in ({@code ./maestro up} prints this link): the code is the secret the runner made for
     * this run, the token the one in its file.
     */
    @GET
    @Path("login/link")
    public Response link(@QueryParam("code") String code, @CookieParam(Sessions.COOKIE) String id, @Context UriInfo uri) {
        if (link.code().isEmpty() || link.tokenFile().isEmpty()) {
            return Response.status(404).type(MediaType.TEXT_PLAIN_TYPE).entity("no sign-in link is set up here\n").build();
        }
        if (code == null || !MessageDigest.isEqual(link.code().get().getBytes(StandardCharsets.UTF_8), code.getBytes(StandardCharsets.UTF_8))) {
            return page(sessions.anonymous(), "That sign-in link is not (or no longer) valid: each ./maestro up prints a new one.", 401, uri);
        }
        String token;
        try {
            token = Files.readString(link.tokenFile().get()).strip();
        } catch (IOException e) {
            Log.warnf("the sign-in link's token file %s cannot be read: %s", link.tokenFile().get(), e.getMessage());
            return page(sessions.anonymous(), "The local admin token cannot be read; sign in with a token.", 503, uri);
        }
        if (TokenClaims.read(token).isEmpty()) {
            return page(sessions.anonymous(), "The local admin token file holds no suite token; sign in with a token.", 503, uri);
        }
        return signedIn(sessions.signIn(token, id), uri);
    }

    @POST
    @Path("logout")
    public Response signOut(@CookieParam(Sessions.COOKIE) String id, @FormParam("csrf") String csrf, @Context UriInfo uri) {
        ConsoleSession session = sessions.find(id).orElse(null);
        if (session != null) {
            Sessions.requireCsrf(session, csrf);
        }
        sessions.end(id);
        return Response.seeOther(URI.create("/login")).cookie(cookie("", 0, uri)).build();
    }

    /** Why the registry refuses the token (401), or null when it accepts it (a 403 means valid, with other scopes). */
    private String refusal(String token) {
        try {
            clients.registry(token).services();
            return null;
        } catch (MaestroApiException e) {
            if (e.status() == 403) {
                return null;
            }
            if (e.status() == 401) {
                return "The token was refused: " + (e.detail() != null ? e.detail() : e.getMessage());
            }
            return "The token cannot be checked now: " + e.getMessage();
        }
    }

    private Response signedIn(ConsoleSession session, UriInfo uri) {
        return Response.seeOther(URI.create("/")).cookie(cookie(session.id(), -1, uri)).build();
    }

    private Response page(ConsoleSession session, String error, int status, UriInfo uri) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.login(Page.signIn(session), error).render())
                .cookie(cookie(session.id(), -1, uri)).build();
    }

    /** The session cookie: script cannot read it, other sites' requests do not carry it, HTTPS keeps it to HTTPS. */
    static NewCookie cookie(String value, int maxAge, UriInfo uri) {
        return new NewCookie.Builder(Sessions.COOKIE).value(value).path("/").httpOnly(true)
                .secure("https".equalsIgnoreCase(uri.getBaseUri().getScheme()))
                .sameSite(NewCookie.SameSite.STRICT).maxAge(maxAge).build();
    }
}
