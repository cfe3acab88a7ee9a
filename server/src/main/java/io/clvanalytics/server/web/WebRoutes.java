package io.clvanalytics.server.web;

import io.clvanalytics.server.ServerDeps;
import io.clvanalytics.server.auth.Role;
import io.javalin.Javalin;

/** The landing page, the sign-in page and the signed-in start page. */
public final class WebRoutes {

    private WebRoutes() {}

    public static void register(Javalin app, ServerDeps deps) {
        Views views = deps.views();
        app.get("/", ctx -> views.home(ctx, PageContext.of(ctx, deps.store())), Role.PUBLIC);
        app.get("/login", ctx -> views.login(ctx, PageContext.of(ctx, deps.store()),
                ctx.queryParam("error") != null, ctx.queryParam("bye") != null), Role.PUBLIC);
        app.get("/dashboard", ctx -> views.dashboard(ctx, PageContext.of(ctx, deps.store())), Role.SIGNED_IN);
    }
}
