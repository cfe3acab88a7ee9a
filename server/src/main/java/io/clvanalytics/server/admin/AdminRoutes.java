package io.clvanalytics.server.admin;

import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.users.ApiTokens;
import io.clvanalytics.server.ServerDeps;
import io.clvanalytics.server.auth.CurrentUser;
import io.clvanalytics.server.auth.Role;
import io.clvanalytics.server.web.HttpError;
import io.clvanalytics.server.web.PageContext;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API tokens for admins: list, create (the token is shown once, on a no-store page), revoke. The
 * full admin pages (users, imports, schedules) come with the pages issue.
 */
public final class AdminRoutes {

    private static final Logger LOG = LoggerFactory.getLogger("clv.auth");
    /** The longest expiry the form offers; an empty field means no expiry. */
    static final int MAX_EXPIRY_DAYS = 3650;

    private AdminRoutes() {}

    public static void register(Javalin app, ServerDeps deps) {
        AdminPages pages = new AdminPages(deps.views());
        app.get("/admin/tokens", ctx -> pages.tokens(ctx, page(ctx, deps), view(deps, Optional.empty(), "")), Role.ADMIN);
        app.post("/admin/tokens", ctx -> {
            String user = required(ctx, "user");
            String label = required(ctx, "label");
            Optional<Instant> expires = expiry(ctx, deps);
            ApiTokens.CreatedToken created;
            try {
                created = deps.store().apiTokens().create(user, label, expires);
            } catch (DataValidationException e) {
                ctx.status(400);
                pages.tokens(ctx, page(ctx, deps), view(deps, Optional.empty(), e.getMessage()));
                return;
            }
            LOG.info("event=token_created id={} for={} by={}", created.info().id(), user, CurrentUser.nameForLog(ctx));
            pages.tokens(ctx, page(ctx, deps), view(deps, Optional.of(created), ""));
        }, Role.ADMIN);
        app.post("/admin/tokens/{id}/revoke", ctx -> {
            long id;
            try {
                id = Long.parseLong(ctx.pathParam("id"));
            } catch (NumberFormatException e) {
                throw HttpError.badField("id", "id: must be a token number");
            }
            try {
                deps.store().apiTokens().revoke(id);
            } catch (DataValidationException e) {
                throw HttpError.notFound(e.getMessage());
            }
            LOG.info("event=token_revoked id={} by={}", id, CurrentUser.nameForLog(ctx));
            ctx.redirect("/admin/tokens", io.javalin.http.HttpStatus.SEE_OTHER);
        }, Role.ADMIN);
    }

    private static PageContext page(Context ctx, ServerDeps deps) {
        return PageContext.of(ctx, deps.store());
    }

    private static AdminPages.TokensView view(ServerDeps deps, Optional<ApiTokens.CreatedToken> created, String error) {
        return new AdminPages.TokensView(deps.store().apiTokens().list(),
                deps.store().users().list().stream().filter(u -> !u.disabled()).map(u -> u.name()).toList(),
                created.map(ApiTokens.CreatedToken::secret).orElse(""), error, MAX_EXPIRY_DAYS);
    }

    private static String required(Context ctx, String field) {
        String v = ctx.formParam(field);
        if (v == null || v.isBlank()) {
            throw HttpError.badField(field, field + ": is required");
        }
        return v.strip();
    }

    private static Optional<Instant> expiry(Context ctx, ServerDeps deps) {
        String days = ctx.formParam("expires_days");
        if (days == null || days.isBlank()) {
            return Optional.empty();
        }
        try {
            int d = Integer.parseInt(days.strip());
            if (d < 1 || d > MAX_EXPIRY_DAYS) {
                throw new NumberFormatException();
            }
            return Optional.of(deps.clock().instant().plus(Duration.ofDays(d)));
        } catch (NumberFormatException e) {
            throw HttpError.badField("expires_days", "expires_days: a whole number of days from 1 to " + MAX_EXPIRY_DAYS
                    + ", or empty for no expiry");
        }
    }
}
