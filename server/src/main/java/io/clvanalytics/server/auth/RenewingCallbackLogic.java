package io.clvanalytics.server.auth;

import java.time.Clock;
import org.pac4j.core.config.Config;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.engine.DefaultCallbackLogic;
import org.pac4j.core.util.Pac4jConstants;

/**
 * pac4j's callback with two additions at sign-in, after the session got its new id: the CSRF token
 * of the anonymous session is dropped (pac4j copies every attribute into the new session, so a
 * token planted before sign-in would stay valid), and the sign-in time is stored for the absolute
 * session lifetime ({@link Sessions}).
 */
final class RenewingCallbackLogic extends DefaultCallbackLogic {

    private final Clock clock;

    RenewingCallbackLogic(Clock clock) {
        this.clock = clock;
    }

    @Override
    protected void renewSession(CallContext ctx, Config config) {
        super.renewSession(ctx, config);
        var store = ctx.sessionStore();
        var web = ctx.webContext();
        store.set(web, Pac4jConstants.CSRF_TOKEN, null);
        store.set(web, Pac4jConstants.PREVIOUS_CSRF_TOKEN, null);
        store.set(web, Pac4jConstants.CSRF_TOKEN_EXPIRATION_DATE, null);
        store.set(web, Sessions.SIGNED_IN_AT, clock.millis());
    }
}
