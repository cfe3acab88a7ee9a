package io.clvanalytics.server.auth;

import io.clvanalytics.engine.users.User;
import io.clvanalytics.server.store.Store;
import io.javalin.security.RouteRole;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.pac4j.core.authorization.authorizer.Authorizer;
import org.pac4j.core.context.WebContext;
import org.pac4j.core.context.session.SessionStore;
import org.pac4j.core.profile.UserProfile;
import org.pac4j.javalin.JavalinWebContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pac4j authorizer {@code routeRoles}: the route's declared roles against the user's current role,
 * read from the store on each request (so a disabled user or a changed role takes effect at once,
 * sessions included; for a token, the bearer authenticator has just read the owner with the token). Only profiles of {@code clientName} count: after a bearer login pac4j merges
 * the session's profiles in, and a session must never open the API (nor a token a page).
 */
final class RouteRolesAuthorizer implements Authorizer {

    private static final Logger LOG = LoggerFactory.getLogger("clv.auth");

    private final Store store;
    private final String clientName;
    private final CurrentUser.Via via;

    RouteRolesAuthorizer(Store store, String clientName, CurrentUser.Via via) {
        this.store = store;
        this.clientName = clientName;
        this.via = via;
    }

    @Override
    public boolean isAuthorized(WebContext context, SessionStore sessionStore, List<UserProfile> profiles) {
        var ctx = ((JavalinWebContext) context).getContext();
        Optional<UserProfile> profile = profiles.stream().filter(p -> clientName.equals(p.getClientName())).findFirst();
        if (profile.isEmpty()) {
            return false;
        }
        Role role;
        if (via == CurrentUser.Via.TOKEN) {
            // The bearer authenticator read the token with its enabled owner and role in this very request.
            role = Role.ofUserRole(profile.get().getRoles().iterator().next());
        } else {
            Optional<User> user = store.users().find(profile.get().getId()).filter(u -> !u.disabled());
            if (user.isEmpty()) {
                LOG.warn("event=denied reason=user_gone_or_disabled user={} route={}", profile.get().getId(), ctx.path());
                return false;
            }
            role = Role.ofUserRole(user.get().role().name());
        }
        Set<RouteRole> allowed = ctx.routeRoles();
        CurrentUser current = new CurrentUser(profile.get().getId(), Set.of(role), via);
        current.attachTo(ctx);
        if (!allowed.contains(role)) {
            LOG.warn("event=denied reason=role user={} role={} method={} route={}", current.name(), role, ctx.method(),
                    ctx.endpointHandlerPath());
            return false;
        }
        return true;
    }
}
