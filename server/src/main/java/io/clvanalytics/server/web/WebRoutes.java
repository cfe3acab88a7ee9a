package io.clvanalytics.server.web;

import io.clvanalytics.server.ServerDeps;
import io.clvanalytics.server.auth.Role;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.function.Consumer;

/** The landing page and the sign-in page (the dashboard is in its own package). */
public final class WebRoutes {

    private WebRoutes() {}

    /** {@code issueLoginToken} puts a CSRF token in the session and on the request (the sign-in form is checked too). */
    public static void register(Javalin app, ServerDeps deps, Consumer<Context> issueLoginToken) {
        deps.store().warmWith(deps.store()::freshness);
        Views views = deps.views();
        app.get("/", ctx -> views.home(ctx, PageContext.of(ctx, deps.store())), Role.PUBLIC);
        app.get("/login", ctx -> {
            issueLoginToken.accept(ctx);
            views.login(ctx, PageContext.withoutStore(ctx), ctx.queryParam("error") != null, ctx.queryParam("bye") != null);
        }, Role.PUBLIC);
    }
}
