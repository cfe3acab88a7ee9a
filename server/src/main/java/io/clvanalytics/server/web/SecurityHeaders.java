package io.clvanalytics.server.web;

import io.javalin.http.Context;

/**
 * The headers every response carries, set before any handler runs so static files, error pages
 * and refusals get them too. Report previews that need inline styles set their own CSP on top.
 */
public final class SecurityHeaders {

    /** No inline script, no plugins, no framing, forms only to this origin. */
    public static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private SecurityHeaders() {}

    /**
     * Sets the headers on {@code ctx}. {@code secure}: the site is served over HTTPS (directly or
     * behind a TLS proxy), so HSTS is sent.
     */
    public static void apply(Context ctx, boolean secure) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Cross-Origin-Opener-Policy", "same-origin");
        // Pages and API answers may show customer data: never cached. Static files override this.
        ctx.header("Cache-Control", "no-store");
        if (secure || "https".equalsIgnoreCase(ctx.scheme())) {
            ctx.header("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
        }
    }
}
