package io.clvanalytics.server.auth;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Date;
import org.pac4j.core.context.WebContext;
import org.pac4j.core.context.session.SessionStore;
import org.pac4j.core.matching.matcher.csrf.CsrfTokenGenerator;
import org.pac4j.core.util.Pac4jConstants;

/**
 * One CSRF token per session, renewed only once it expired. pac4j's default generator makes a new
 * token on every secured request and remembers just the previous one, so a form in a second tab
 * or a third parallel htmx call fails; with rotation off it never renews at all. The expiry is
 * stored where pac4j's {@code CsrfAuthorizer} reads it (it uses {@code new Date()}, so it cannot take
 * the engine clock).
 */
final class SessionCsrfTokens implements CsrfTokenGenerator {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final long ttlMillis;

    SessionCsrfTokens(long ttlMillis) {
        this.ttlMillis = ttlMillis;
    }

    @Override
    public String get(WebContext context, SessionStore store) {
        String token = (String) store.get(context, Pac4jConstants.CSRF_TOKEN).orElse(null);
        Long expires = (Long) store.get(context, Pac4jConstants.CSRF_TOKEN_EXPIRATION_DATE).orElse(0L);
        long now = new Date().getTime();
        if (token == null || token.isBlank() || expires < now) {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            store.set(context, Pac4jConstants.CSRF_TOKEN, token);
            store.set(context, Pac4jConstants.CSRF_TOKEN_EXPIRATION_DATE, now + ttlMillis);
        }
        // The authorizer accepts a "previous" token too; with one token per session there is none.
        store.set(context, Pac4jConstants.PREVIOUS_CSRF_TOKEN, null);
        return token;
    }
}
