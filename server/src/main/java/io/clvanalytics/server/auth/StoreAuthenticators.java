package io.clvanalytics.server.auth;

import io.clvanalytics.engine.users.LoginThrottle;
import io.clvanalytics.engine.users.User;
import io.clvanalytics.server.store.Store;
import java.util.Optional;
import org.pac4j.core.context.CallContext;
import org.pac4j.core.credentials.Credentials;
import org.pac4j.core.credentials.TokenCredentials;
import org.pac4j.core.credentials.UsernamePasswordCredentials;
import org.pac4j.core.credentials.authenticator.Authenticator;
import org.pac4j.core.exception.CredentialsException;
import org.pac4j.core.profile.CommonProfile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pac4j authenticators over the store's users: the sign-in form (with lockout) and API tokens.
 * Logs sign-ins, failures and lockouts with user name and address, never passwords or tokens.
 */
final class StoreAuthenticators {

    private static final Logger LOG = LoggerFactory.getLogger("clv.auth");
    /** Longer names are cut for the attempts table and the log (no user name is this long). */
    private static final int MAX_LOGGED_NAME = 64;

    private StoreAuthenticators() {}

    /** The sign-in form: throttled, one generic failure whatever the reason. */
    static Authenticator form(Store store) {
        return (CallContext ctx, Credentials credentials) -> {
            UsernamePasswordCredentials up = (UsernamePasswordCredentials) credentials;
            String name = up.getUsername() == null ? "" : up.getUsername().strip();
            String shortName = name.length() > MAX_LOGGED_NAME ? name.substring(0, MAX_LOGGED_NAME) : name;
            String address = ctx.webContext().getRemoteAddr();
            LoginThrottle throttle = store.loginThrottle();
            LoginThrottle.Lock lock = throttle.check(shortName, address);
            if (lock != LoginThrottle.Lock.NONE) {
                LOG.warn("event=login_refused reason={}_locked user={} address={}", lock.name().toLowerCase(java.util.Locale.ROOT),
                        shortName, address);
                throw new CredentialsException("failed");
            }
            Optional<User> user = store.users().verify(name, up.getPassword());
            throttle.record(shortName, address, user.isPresent());
            if (user.isEmpty()) {
                LOG.warn("event=login_failed user={} address={}", shortName, address);
                if (throttle.check(shortName, address) != LoginThrottle.Lock.NONE) {
                    LOG.warn("event=lockout user={} address={} limit={} window={}", shortName, address,
                            LoginThrottle.ACCOUNT_LIMIT, LoginThrottle.WINDOW);
                }
                throw new CredentialsException("failed");
            }
            LOG.info("event=login user={} role={} address={}", user.get().name(), user.get().role().id(), address);
            up.setUserProfile(profile(user.get()));
            return Optional.of(up);
        };
    }

    /** API tokens ({@code Authorization: Bearer clv_...}). */
    static Authenticator bearer(Store store) {
        return (CallContext ctx, Credentials credentials) -> {
            TokenCredentials tc = (TokenCredentials) credentials;
            Optional<User> user = store.authenticateToken(tc.getToken());
            if (user.isEmpty()) {
                LOG.warn("event=token_refused address={}", ctx.webContext().getRemoteAddr());
                return Optional.empty();
            }
            tc.setUserProfile(profile(user.get()));
            return Optional.of(tc);
        };
    }

    private static CommonProfile profile(User user) {
        CommonProfile p = new CommonProfile();
        p.setId(user.name());
        p.addRole(user.role().name());
        return p;
    }
}
