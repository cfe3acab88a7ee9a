package io.clvanalytics.server.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import java.util.Map;

/**
 * The precompiled JTE templates (src/main/jte, compiled by jte-maven-plugin {@code generate}), one
 * typed method per page so call sites are checked by the compiler. Every page template takes a
 * {@link PageContext} named {@code page} and wraps its body in {@code layout/page.jte}.
 *
 * <p>To add a page of a feature: write {@code src/main/jte/FEATURE/NAME.jte} with
 * {@code @param PageContext page} (plus a view record of the feature) wrapped in
 * {@code @template.layout.page(page = page, title = .., content = @`...`)}, and a typed method in the
 * feature's own {@code XxxPages} class that calls {@link #send} (not here: web must not depend on
 * features, or the packages would form a cycle). {@code ViewsTest} checks every template's rules.
 */
public final class Views {

    private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

    /** The public landing page. */
    public void home(Context ctx, PageContext page) {
        send(ctx, "web/home.jte", Map.of("page", page));
    }

    /** The sign-in form; {@code failed} shows the one generic error. */
    public void login(Context ctx, PageContext page, boolean failed, boolean signedOut) {
        send(ctx, "web/login.jte", Map.of("page", page, "failed", failed, "signedOut", signedOut));
    }

    /** An error page in the layout; {@code message} must not carry internals (no paths, SQL, traces). */
    public void error(Context ctx, PageContext page, int status, String title, String message) {
        send(ctx, "web/error.jte", Map.of("page", page, "status", status, "title", title, "message", message));
    }

    /** Renders {@code template} into {@code ctx} as HTML. For feature view methods beside these. */
    public void send(Context ctx, String template, Map<String, Object> params) {
        StringOutput out = new StringOutput();
        engine.render(template, params, out);
        ctx.contentType("text/html; charset=utf-8").result(out.toString());
    }
}
