package io.clvanalytics.server.auth;

import io.javalin.security.RouteRole;
import java.util.Locale;

/**
 * Who may use a route. Every route declares its roles where it is registered (explicit sets, no
 * hierarchy: an admin-only route names only {@link #ADMIN}); {@link #PUBLIC} marks routes open to
 * anyone. A route that declares no role is refused at registration.
 */
public enum Role implements RouteRole {
    /** Anyone, signed in or not. Never given to a user. */
    PUBLIC,
    /** Dashboards, report views and downloads. */
    MANAGER,
    /** All analytics and reports, re-fit and re-score. */
    ANALYST,
    /** Users, imports, schedules, everything. */
    ADMIN;

    /** The role a user or token may hold, from its stored name ({@code manager}, {@code analyst}, {@code admin}). */
    public static Role ofUserRole(String name) {
        Role r = Role.valueOf(name.toUpperCase(Locale.ROOT));
        if (r == PUBLIC) {
            throw new IllegalArgumentException("PUBLIC is not a user role");
        }
        return r;
    }

    /** Signed-in users of any role: the usual set for pages every user sees. */
    public static final Role[] SIGNED_IN = {MANAGER, ANALYST, ADMIN};
}
