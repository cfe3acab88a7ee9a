package io.clvanalytics.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.pac4j.core.authorization.authorizer.CsrfAuthorizer;
import org.pac4j.core.context.WebContext;
import org.pac4j.core.context.session.SessionStore;
import org.pac4j.core.profile.UserProfile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pac4j 6.3.1's CSRF check with its comparison fixed: 6.3.1 compares tokens by
 * {@code String.hashCode()} (so a colliding token passes) and accepts an empty token while the
 * session holds no previous one. Fixed upstream in 6.4.1 and 6.5.1, neither of which is available
 * here. Registered under pac4j's own name {@code csrfCheck}, which replaces the built-in.
 */
final class StrictCsrfAuthorizer extends CsrfAuthorizer {

    private static final Logger LOG = LoggerFactory.getLogger("clv.auth");

    @Override
    public boolean isAuthorized(WebContext context, SessionStore sessionStore, List<UserProfile> profiles) {
        boolean ok = super.isAuthorized(context, sessionStore, profiles);
        if (!ok) {
            LOG.warn("event=denied reason=csrf method={} path={} user={}", context.getRequestMethod(), context.getPath(),
                    profiles.isEmpty() ? "-" : profiles.get(0).getId());
        }
        return ok;
    }

    @Override
    protected boolean hashEquals(String expected, String given) {
        if (expected == null || given == null || expected.isBlank() || given.isBlank()) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
