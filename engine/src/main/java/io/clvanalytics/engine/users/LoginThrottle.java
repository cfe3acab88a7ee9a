package io.clvanalytics.engine.users;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Brute-force limits on sign-in, kept in the store so they survive restarts. An account name is
 * locked after {@value #ACCOUNT_LIMIT} failures within {@link #WINDOW} since its last success; an
 * address after {@value #ADDRESS_LIMIT} failures within the window, whatever names it tried. While
 * locked, sign-in is refused without even checking the password. Time comes from the engine clock.
 */
public final class LoginThrottle {

    public static final int ACCOUNT_LIMIT = 10;
    public static final int ADDRESS_LIMIT = 50;
    public static final Duration WINDOW = Duration.ofMinutes(15);

    /** Why sign-in is refused before the password is checked. */
    public enum Lock { NONE, ACCOUNT, ADDRESS }

    private final Engine engine;

    public LoginThrottle(Engine engine) {
        this.engine = engine;
    }

    /** Whether {@code userName} or {@code address} is locked now. */
    public Lock check(String userName, String address) {
        LocalDateTime since = now().minus(WINDOW);
        try (Connection c = engine.connect(); PreparedStatement ps = c.prepareStatement("""
                SELECT
                  (SELECT count(*) FROM login_attempts WHERE user_name = ? AND NOT success AND attempted_at > ?
                     AND attempted_at > coalesce((SELECT max(attempted_at) FROM login_attempts WHERE user_name = ? AND success), TIMESTAMP '1970-01-01')),
                  (SELECT count(*) FROM login_attempts WHERE address = ? AND NOT success AND attempted_at > ?)""")) {
            ps.setString(1, userName);
            ps.setObject(2, since);
            ps.setString(3, userName);
            ps.setString(4, address);
            ps.setObject(5, since);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) >= ACCOUNT_LIMIT) {
                    return Lock.ACCOUNT;
                }
                return rs.getLong(2) >= ADDRESS_LIMIT ? Lock.ADDRESS : Lock.NONE;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read sign-in attempts: " + e.getMessage(), e);
        }
    }

    /** Records one attempt (an append: never conflicts with concurrent sign-ins). */
    public void record(String userName, String address, boolean success) {
        LocalDateTime now = now();
        engine.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO login_attempts(attempted_at, user_name, address, success) VALUES (?, ?, ?, ?)")) {
                ps.setObject(1, now);
                ps.setString(2, userName);
                ps.setString(3, address);
                ps.setBoolean(4, success);
                return ps.executeUpdate();
            }
        });
    }

    private LocalDateTime now() {
        return LocalDateTime.ofInstant(engine.clock().instant(), ZoneOffset.UTC);
    }
}
