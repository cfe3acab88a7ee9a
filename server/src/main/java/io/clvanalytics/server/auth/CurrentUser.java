package io.clvanalytics.server.auth;

import io.javalin.http.Context;
import java.util.Optional;
import java.util.Set;

/**
 * The user a request runs for, put on the request by the access gate once it let the request in.
 *
 * @param name  the user name
 * @param roles the roles the user (or the token) holds
 * @param via   how the request was authenticated
 */
public record CurrentUser(String name, Set<Role> roles, Via via) {

    /** How a request was authenticated. */
    public enum Via { SESSION, TOKEN }

    private static final String ATTRIBUTE = "clv.currentUser";

    public CurrentUser {
        roles = Set.copyOf(roles);
    }

    /** The user of {@code ctx}; empty on public routes for anonymous visitors. */
    public static Optional<CurrentUser> of(Context ctx) {
        return Optional.ofNullable(ctx.attribute(ATTRIBUTE));
    }

    /** The user name for logs: {@code -} when anonymous. */
    public static String nameForLog(Context ctx) {
        return of(ctx).map(CurrentUser::name).orElse("-");
    }

    void attachTo(Context ctx) {
        ctx.attribute(ATTRIBUTE, this);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }
}
