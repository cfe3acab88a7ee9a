package io.clvanalytics.server.auth;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.UnauthorizedResponse;
import io.javalin.security.RouteRole;
import java.util.Set;

/**
 * The one place that decides whether a request may reach its route. Routes declare their roles
 * where they are registered ({@code app.get("/x", handler, Role.ANALYST, Role.ADMIN)}); a route
 * that declares none makes {@link #failClosed} throw at registration, so it can never be served.
 */
public final class AccessGate {

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
        if (roles.contains(Role.PUBLIC)) {
            return;
        }
        throw new UnauthorizedResponse();
    }
}
