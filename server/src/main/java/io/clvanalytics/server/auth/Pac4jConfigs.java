package io.clvanalytics.server.auth;

import io.clvanalytics.server.store.Store;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import org.pac4j.core.client.Clients;
import org.pac4j.core.config.Config;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.context.session.SessionStore;
import org.pac4j.core.engine.DefaultSecurityLogic;
import org.pac4j.core.http.ajax.DefaultAjaxRequestResolver;
import org.pac4j.core.matching.matcher.csrf.CsrfTokenGeneratorMatcher;
import org.pac4j.core.util.Pac4jConstants;
import org.pac4j.core.adapter.FrameworkAdapter;
import org.pac4j.http.client.direct.DirectBearerAuthClient;
import org.pac4j.http.client.indirect.FormClient;
import org.pac4j.javalin.JavalinFrameworkParameters;
import org.pac4j.javalin.JavalinWebContext;

/**
 * The two pac4j configurations: {@link #web()} (sign-in form, session, CSRF) and {@link #api()}
 * (bearer tokens only, sessions never loaded). Each has its own {@code Clients}, so a token can
 * never sign in a page and a session cookie never opens the API.
 */
public final class Pac4jConfigs {

    static final String FORM_CLIENT = "FormClient";
    static final String BEARER_CLIENT = "bearer";
    static final String WEB_ROLES = "webRoles";
    static final String API_ROLES = "apiRoles";
    static final String CSRF_MATCHER = "csrfToken";
    /** A CSRF token lives this long, then the next page gets a new one (sessions are shorter anyway). */
    static final Duration CSRF_TTL = Duration.ofHours(8);

    private final Config web;
    private final Config api;
    private final SessionCsrfTokens csrfTokens = new SessionCsrfTokens(CSRF_TTL.toMillis());

    public Pac4jConfigs(Store store, Clock clock) {
        FormClient form = new FormClient("/login", StoreAuthenticators.form(store));
        Clients webClients = new Clients("/callback", form);
        // htmx calls with an expired session get 401 (app.js goes to /login) instead of the login page swapped in.
        webClients.setAjaxRequestResolver(new DefaultAjaxRequestResolver() {
            @Override
            public boolean isAjax(CallContext ctx) {
                return super.isAjax(ctx) || ctx.webContext().getRequestHeader("HX-Request").map("true"::equals).orElse(false);
            }
        });
        web = new Config(webClients);
        web.addAuthorizer("csrfCheck", new StrictCsrfAuthorizer());
        web.addAuthorizer(WEB_ROLES, new RouteRolesAuthorizer(store, FORM_CLIENT, CurrentUser.Via.SESSION));
        CsrfTokenGeneratorMatcher matcher = new CsrfTokenGeneratorMatcher(csrfTokens);
        matcher.setAddTokenAsCookie(false);
        web.addMatcher(CSRF_MATCHER, matcher);
        web.setCallbackLogic(new RenewingCallbackLogic(clock));

        DirectBearerAuthClient bearer = new DirectBearerAuthClient(StoreAuthenticators.bearer(store));
        bearer.setName(BEARER_CLIENT);
        bearer.setRealmName("CLV Analytics API");
        api = new Config(new Clients(bearer));
        api.addAuthorizer(API_ROLES, new RouteRolesAuthorizer(store, BEARER_CLIENT, CurrentUser.Via.TOKEN));
        DefaultSecurityLogic apiLogic = new DefaultSecurityLogic();
        apiLogic.setLoadProfilesFromSession(false);
        api.setSecurityLogic(apiLogic);

        FrameworkAdapter.INSTANCE.applyDefaultSettingsIfUndefined(web);
        FrameworkAdapter.INSTANCE.applyDefaultSettingsIfUndefined(api);
        // pac4j initialises a client lazily on its first request, without a lock: concurrent first requests saw
        // a half-built client (NullPointerException on its credentials extractor, a 500). Initialise them now.
        webClients.init();
        form.init();
        api.getClients().init();
        bearer.init();
    }

    /** Sign-in form, sessions, CSRF. */
    public Config web() {
        return web;
    }

    /** Bearer tokens only. */
    public Config api() {
        return api;
    }

    SessionStore sessionStore(Context ctx) {
        return web.getSessionStoreFactory().newSessionStore(new JavalinFrameworkParameters(ctx));
    }

    /**
     * Makes sure the session of {@code ctx} has a CSRF token (creating the session if needed) and
     * puts it on the request for the templates. The sign-in page calls it: its form is
     * CSRF-checked too.
     */
    public void issueCsrfToken(Context ctx) {
        String token = csrfTokens.get(new JavalinWebContext(ctx), sessionStore(ctx));
        ctx.attribute(Pac4jConstants.CSRF_TOKEN, token);
    }

    /** The session's current CSRF token, compared in constant time with {@code given}. */
    boolean csrfMatches(Context ctx, String given) {
        if (ctx.req().getSession(false) == null) {
            return false;
        }
        Object expected = sessionStore(ctx).get(new JavalinWebContext(ctx), Pac4jConstants.CSRF_TOKEN).orElse(null);
        return expected instanceof String e && new StrictCsrfAuthorizer().hashEquals(e, given);
    }
}
