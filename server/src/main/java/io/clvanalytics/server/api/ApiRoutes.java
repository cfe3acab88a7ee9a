package io.clvanalytics.server.api;

import io.clvanalytics.server.ServerDeps;
import io.clvanalytics.server.auth.CurrentUser;
import io.clvanalytics.server.auth.Role;
import io.javalin.Javalin;
import java.util.Map;

/**
 * The JSON API under {@code /api/}: bearer tokens only (see {@code AccessGate}), errors as
 * {@code {"error": {"code", "message", "field"}}}. The data endpoints are added beside this one.
 */
public final class ApiRoutes {

    private ApiRoutes() {}

    public static void register(Javalin app, ServerDeps deps) {
        // Who the token acts for: lets a client check its token and role.
        app.get("/api/whoami", ctx -> {
            CurrentUser user = CurrentUser.of(ctx).orElseThrow();
            ctx.json(Map.of("user", user.name(), "roles", user.roles().stream().map(r -> r.name().toLowerCase(java.util.Locale.ROOT))
                    .sorted().toList()));
        }, Role.SIGNED_IN);
    }
}
