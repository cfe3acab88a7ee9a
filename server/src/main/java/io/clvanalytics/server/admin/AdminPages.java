package io.clvanalytics.server.admin;

import io.clvanalytics.engine.users.ApiTokens;
import io.clvanalytics.server.web.PageContext;
import io.clvanalytics.server.web.Views;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/** The admin pages' templates and view records. */
public final class AdminPages {

    /**
     * The API token page.
     *
     * @param tokens        every token (never a secret)
     * @param users         the enabled users a token may be made for
     * @param createdSecret the token just made, shown once; empty otherwise
     * @param error         what was wrong with the form, empty if nothing
     * @param maxExpiryDays the longest expiry offered
     */
    public record TokensView(List<ApiTokens.TokenInfo> tokens, List<String> users, String createdSecret, String error,
                             int maxExpiryDays) {}

    private final Views views;

    AdminPages(Views views) {
        this.views = views;
    }

    void tokens(Context ctx, PageContext page, TokensView view) {
        views.send(ctx, "admin/tokens.jte", Map.of("page", page, "view", view));
    }
}
