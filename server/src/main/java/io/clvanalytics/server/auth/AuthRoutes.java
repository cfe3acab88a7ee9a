package io.clvanalytics.server.auth;

import io.clvanalytics.server.ServerDeps;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import java.net.URI;
import org.pac4j.javalin.CallbackHandler;
import org.pac4j.javalin.LogoutHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in ({@code POST /callback}, from the form of {@code GET /login}) and sign-out
 * ({@code POST /logout}). The sign-in page itself is a page of the web package.
 */
public final class AuthRoutes {

    private static final Logger LOG = LoggerFactory.getLogger("clv.auth");

    private AuthRoutes() {}

    public static void register(Javalin app, ServerDeps deps, Pac4jConfigs pac4j) {
        // A new session id at sign-in (renewSession = true); the old session's CSRF token is dropped.
        CallbackHandler callback = new CallbackHandler(pac4j.web(), "/dashboard", true);
        app.post("/callback", ctx -> {
            refuseLoginCsrf(ctx, pac4j);
            callback.handle(ctx);
        }, Role.PUBLIC);
        // The gate ran the CSRF check first (POST on a signed-in route); the session dies on the server.
        LogoutHandler logout = new LogoutHandler(pac4j.web(), "/login?bye");
        logout.destroySession = true;
        logout.localLogout = true;
        app.post("/logout", ctx -> {
            LOG.info("event=logout user={}", CurrentUser.nameForLog(ctx));
            logout.handle(ctx);
        }, Role.SIGNED_IN);
    }

    /**
     * Login CSRF: another site must not sign a browser in to an account of its choosing. The form's
     * token must match the one the sign-in page put in this browser's session, and browsers that say
     * where the request came from must say this site.
     */
    private static void refuseLoginCsrf(Context ctx, Pac4jConfigs pac4j) {
        String fetchSite = ctx.header("Sec-Fetch-Site");
        if (fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none")) {
            LOG.warn("event=denied reason=cross_site_login sec_fetch_site={}", fetchSite);
            throw new ForbiddenResponse();
        }
        String origin = ctx.header("Origin");
        if (origin != null && !sameHost(origin, ctx.host())) {
            LOG.warn("event=denied reason=cross_origin_login");
            throw new ForbiddenResponse();
        }
        if (!pac4j.csrfMatches(ctx, ctx.formParam(CsrfTokens.FIELD))) {
            LOG.warn("event=denied reason=csrf path=/callback");
            throw new ForbiddenResponse();
        }
    }

    private static boolean sameHost(String origin, String host) {
        try {
            URI u = URI.create(origin);
            String hostPort = u.getPort() < 0 ? u.getHost() : u.getHost() + ":" + u.getPort();
            return hostPort.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
