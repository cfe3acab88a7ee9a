package io.clvanalytics.server.auth;

import io.javalin.http.Context;
import java.util.Optional;
import org.pac4j.core.util.Pac4jConstants;

/** Where pages read the CSRF token that forms and htmx requests must send back. */
public final class CsrfTokens {

    /** The form field and request header carrying the token (pac4j's name). */
    public static final String FIELD = Pac4jConstants.CSRF_TOKEN;

    private CsrfTokens() {}

    /** The token of this request's session, once the gate has made or renewed it. */
    public static Optional<String> current(Context ctx) {
        Object token = ctx.attribute(FIELD);
        return token instanceof String s && !s.isBlank() ? Optional.of(s) : Optional.empty();
    }
}
