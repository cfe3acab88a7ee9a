package io.clvanalytics.server.auth;

import io.clvanalytics.server.ServerConfig;
import io.clvanalytics.server.store.Store;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.security.RouteRole;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import org.pac4j.core.profile.ProfileManager;
import org.pac4j.core.profile.UserProfile;
import org.pac4j.javalin.JavalinWebContext;
import org.pac4j.javalin.SecurityHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides whether a request may reach its route. Routes declare their roles
 * where they are registered ({@code app.get("/x", handler, Role.ANALYST, Role.ADMIN)}); a route that
 * declares none is refused at registration ({@link #failClosed}).
 *
 * <p>Per request (Javalin {@code beforeMatched}, so static files too):
 * <ul>
 *   <li>{@link Role#PUBLIC}: open; a signed-in user is recognised (navigation, sign-out form).</li>
 *   <li>{@code /api/**} and {@code /metrics} ({@link RequestKind#isApi}): pac4j with the bearer client
 *       only; sessions are ignored, so no CSRF is needed; 401 without a valid token, 403 for a role
 *       the route does not allow. {@code /metrics} is also open to the configured scraper addresses.</li>
 *   <li>Other paths: pac4j with the sign-in form: the session's user, the CSRF check on POST, PUT,
 *       PATCH and DELETE, then the roles; browsers without a session are sent to {@code /login},
 *       htmx calls get 401.</li>
 * </ul>
 */
public final class AccessGate {

    private static final Logger LOG = LoggerFactory.getLogger("clv.auth");

    private final Pac4jConfigs pac4j;
    private final SecurityHandler web;
    private final SecurityHandler api;
    private final Clock clock;
    private final ServerConfig config;
    private final Store store;

    public AccessGate(Pac4jConfigs pac4j, Store store, Clock clock, ServerConfig config) {
        this.pac4j = pac4j;
        this.store = store;
        this.clock = clock;
        this.config = config;
        this.web = new SecurityHandler(pac4j.web(), Pac4jConfigs.FORM_CLIENT,
                "csrfCheck,isAuthenticated," + Pac4jConfigs.WEB_ROLES, Pac4jConfigs.CSRF_MATCHER);
        this.api = new SecurityHandler(pac4j.api(), Pac4jConfigs.BEARER_CLIENT, Pac4jConfigs.API_ROLES, "none");
    }

    /** Refuses, at registration, every HTTP route that declares no role. */
    public static void failClosed(JavalinConfig config) {
        config.events.handlerAdded(meta -> {
            if (meta.getHttpMethod().isHttpMethod() && meta.getRoles().isEmpty()) {
                throw new IllegalStateException("route " + meta.getHttpMethod() + " " + meta.getPath()
                        + " declares no roles: pass Role.PUBLIC or the roles allowed, e.g. app.get(path, handler,"
                        + " Role.ANALYST, Role.ADMIN)");
            }
        });
    }

    /** Runs before every matched route and static file: lets the request in or throws a refusal. */
    public void check(Context ctx) {
        Set<RouteRole> roles = ctx.routeRoles();
        if (roles.isEmpty()) {
            throw new ForbiddenResponse();
        }
        boolean apiPath = RequestKind.isApi(ctx.path());
        if (!apiPath && Sessions.endIfTooOld(ctx, clock, config.absoluteTimeout())) {
            LOG.info("event=session_expired reason=absolute_lifetime path={}", ctx.path());
        }
        if (roles.contains(Role.PUBLIC)) {
            if (!apiPath) {
                recogniseSignedInUser(ctx);
            }
            return;
        }
        if (apiPath) {
            if (ctx.path().equals("/metrics") && config.metricsAddresses().contains(ctx.ip())) {
                return;
            }
            api.handle(ctx);
        } else {
            web.handle(ctx);
        }
    }

    /** On public pages: the session's user (if any) for the layout, and the CSRF token for its sign-out form. */
    private void recogniseSignedInUser(Context ctx) {
        if (ctx.req().getSession(false) == null) {
            return;
        }
        JavalinWebContext webContext = new JavalinWebContext(ctx);
        var sessionStore = pac4j.sessionStore(ctx);
        Optional<UserProfile> profile = new ProfileManager(webContext, sessionStore).getProfile()
                .filter(p -> Pac4jConfigs.FORM_CLIENT.equals(p.getClientName()));
        if (profile.isEmpty()) {
            return;
        }
        store.users().find(profile.get().getId()).filter(u -> !u.disabled()).ifPresent(u -> {
            new CurrentUser(u.name(), Set.of(Role.ofUserRole(u.role().name())), CurrentUser.Via.SESSION).attachTo(ctx);
            pac4j.issueCsrfToken(ctx);
        });
    }
}
