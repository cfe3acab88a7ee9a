package io.clvanalytics.server.web;

import io.clvanalytics.server.auth.CsrfTokens;
import io.clvanalytics.server.auth.CurrentUser;
import io.clvanalytics.server.auth.Role;
import io.clvanalytics.server.store.Store;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the layout needs on every page: who is signed in, the CSRF token for forms and htmx, the
 * navigation for the user's roles, the current path and the data-freshness line of the footer.
 *
 * @param user      the signed-in user's name, empty for anonymous visitors
 * @param roles     the user's roles (empty when anonymous)
 * @param csrfToken the token every POST form and htmx request must send (empty when no session)
 * @param nav       the navigation items visible to the user
 * @param path      the request path (marks the active link)
 * @param freshness the footer text on data freshness and the latest model run, empty when unknown
 */
public record PageContext(Optional<String> user, Set<Role> roles, String csrfToken, List<NavItem> nav, String path,
                          String freshness) {

    public PageContext {
        roles = Set.copyOf(roles);
        nav = List.copyOf(nav);
    }

    /** The context of the request {@code ctx} (after the access gate ran). */
    public static PageContext of(Context ctx, Store store) {
        Optional<CurrentUser> user = CurrentUser.of(ctx);
        Set<Role> roles = user.map(CurrentUser::roles).orElse(Set.of());
        return new PageContext(user.map(CurrentUser::name), roles, CsrfTokens.current(ctx).orElse(""),
                NavItem.visibleTo(roles), ctx.path(), user.isPresent() ? freshness(store) : "");
    }

    /** For pages rendered when the store itself may be failing (error pages): no store access. */
    public static PageContext withoutStore(Context ctx) {
        Optional<CurrentUser> user = CurrentUser.of(ctx);
        Set<Role> roles = user.map(CurrentUser::roles).orElse(Set.of());
        return new PageContext(user.map(CurrentUser::name), roles, CsrfTokens.current(ctx).orElse(""),
                NavItem.visibleTo(roles), ctx.path(), "");
    }

    public boolean signedIn() {
        return user.isPresent();
    }

    public String userName() {
        return user.orElse("");
    }

    private static String freshness(Store store) {
        Store.Freshness f = store.freshness();
        String data = f.lastTransaction().map(d -> "Data up to " + d).orElse("No transactions yet");
        String model = f.lastModelRun().map(t -> "model fitted " + t.toLocalDate()).orElse("no model fitted yet");
        return data + " · " + model;
    }
}
