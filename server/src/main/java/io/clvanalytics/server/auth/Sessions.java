package io.clvanalytics.server.auth;

import io.javalin.http.Context;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.session.DefaultSessionCache;
import org.eclipse.jetty.server.session.FileSessionDataStore;
import org.eclipse.jetty.server.session.SessionHandler;

/**
 * Server-side sessions kept in files, so a restart signs nobody out. The folder holds Java-serialized
 * session data that the server reads back, so it is created owner-only (0700). A session ends after
 * the idle timeout (Jetty) or, whatever the activity, the absolute lifetime after sign-in (checked
 * here against the engine clock on every request).
 */
public final class Sessions {

    /** The session cookie's name. */
    public static final String COOKIE = "clv_session";
    /** Session attribute: epoch millis of sign-in (engine clock). */
    static final String SIGNED_IN_AT = "clv.signedInAt";

    private Sessions() {}

    /** A Jetty session handler storing sessions under {@code dir}. */
    public static SessionHandler handler(Path dir, Duration idle, boolean secureCookie) {
        createPrivateDir(dir);
        SessionHandler handler = new SessionHandler();
        handler.setMaxInactiveInterval((int) idle.toSeconds());
        handler.setHttpOnly(true);
        handler.setSameSite(HttpCookie.SameSite.LAX);
        handler.setSessionCookie(COOKIE);
        // Secure when the request came over HTTPS; always when CLV_COOKIE_SECURE=true (TLS proxy in front).
        handler.setSecureRequestOnly(true);
        handler.getSessionCookieConfig().setSecure(secureCookie);
        DefaultSessionCache cache = new DefaultSessionCache(handler);
        cache.setSaveOnCreate(true);
        cache.setFlushOnResponseCommit(true);
        cache.setRemoveUnloadableSessions(true);
        FileSessionDataStore store = new FileSessionDataStore();
        store.setStoreDir(dir.toFile());
        store.setDeleteUnrestorableFiles(true);
        cache.setSessionDataStore(store);
        handler.setSessionCache(cache);
        return handler;
    }

    /** Ends the session of {@code ctx} when its absolute lifetime is over; true if it did. */
    static boolean endIfTooOld(Context ctx, Clock clock, Duration absolute) {
        HttpSession session = ctx.req().getSession(false);
        if (session == null) {
            return false;
        }
        Object at;
        try {
            at = session.getAttribute(SIGNED_IN_AT);
        } catch (IllegalStateException invalidated) {
            return false;
        }
        if (at instanceof Long signedIn && clock.millis() - signedIn >= absolute.toMillis()) {
            session.invalidate();
            return true;
        }
        return false;
    }

    private static void createPrivateDir(Path dir) {
        try {
            Files.createDirectories(dir);
            try {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the folder inherits its parent's ACL.
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the session folder " + dir + ": " + e.getMessage(), e);
        }
    }
}
