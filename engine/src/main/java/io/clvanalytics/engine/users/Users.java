package io.clvanalytics.engine.users;

import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The users of the web server. Names are 1 to 64 characters of letters, digits and {@code . _ @ -};
 * passwords follow {@link Passwords}. Every change runs in one transaction; bad input throws
 * {@link DataValidationException} naming the field and changes nothing. Thread-safe.
 */
public final class Users {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    private final Engine engine;
    private final Runnable afterChange;

    public Users(Engine engine) {
        this(engine, () -> {});
    }

    /**
     * Users whose changes of existing users (password, disabled) call {@code afterChange} once committed, for
     * callers that keep what they read (the server's memory of checked API tokens).
     */
    public Users(Engine engine, Runnable afterChange) {
        this.engine = engine;
        this.afterChange = afterChange;
    }

    /** Adds an enabled user; fails when the name is taken or the password breaks a rule. */
    public User add(String name, UserRole role, String password) {
        requireName(name);
        Passwords.requireValid(password);
        String hash = Passwords.hash(password);
        LocalDateTime now = now();
        return engine.inTransaction(c -> {
            if (find(c, name).isPresent()) {
                throw new DataValidationException("name: user '" + name + "' already exists");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO users(id, name, role, password_hash, disabled,"
                    + " created_at, password_changed_at) VALUES (nextval('user_seq'), ?, ?, ?, false, ?, ?) RETURNING id")) {
                ps.setString(1, name);
                ps.setString(2, role.id());
                ps.setString(3, hash);
                ps.setObject(4, now);
                ps.setObject(5, now);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new User(rs.getLong(1), name, role, false, now, now);
                }
            }
        });
    }

    /** Every user, by name. */
    public List<User> list() {
        try (Connection c = engine.connect(); PreparedStatement ps = c.prepareStatement(SELECT + " ORDER BY name");
             ResultSet rs = ps.executeQuery()) {
            List<User> out = new ArrayList<>();
            while (rs.next()) {
                out.add(user(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot list the users of " + engine.file() + ": " + e.getMessage(), e);
        }
    }

    /** The user named {@code name}, if any. */
    public Optional<User> find(String name) {
        try (Connection c = engine.connect()) {
            return find(c, name);
        } catch (SQLException e) {
            throw new StoreException("cannot read user '" + name + "': " + e.getMessage(), e);
        }
    }

    /** How many users exist (0 on a new store: the server then creates the first admin). */
    public long count() {
        return list().size();
    }

    /** Sets a new password (the old one stops working at once). */
    public void setPassword(String name, String password) {
        Passwords.requireValid(password);
        String hash = Passwords.hash(password);
        LocalDateTime now = now();
        update(name, "UPDATE users SET password_hash = ?, password_changed_at = ? WHERE name = ?", ps -> {
            ps.setString(1, hash);
            ps.setObject(2, now);
            ps.setString(3, name);
        });
    }

    /** Disables the user: no sign-in, no token, from the next request on. */
    public void disable(String name) {
        update(name, "UPDATE users SET disabled = true WHERE name = ?", ps -> ps.setString(1, name));
    }

    /**
     * The enabled user whose name and password match; empty otherwise (unknown, disabled or wrong
     * password take the same time: one argon2id check).
     */
    public Optional<User> verify(String name, String password) {
        if (name == null || password == null || password.length() > Passwords.MAX_LENGTH) {
            Passwords.matches("", null);
            return Optional.empty();
        }
        String hash = null;
        User user = null;
        try (Connection c = engine.connect();
             PreparedStatement ps = c.prepareStatement("SELECT password_hash FROM users WHERE name = ? AND NOT disabled")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    hash = rs.getString(1);
                    user = find(c, name).orElse(null);
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read user '" + name + "': " + e.getMessage(), e);
        }
        return Passwords.matches(password, hash) && user != null ? Optional.of(user) : Optional.empty();
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private void update(String name, String sql, Binder binder) {
        int changed = engine.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                return ps.executeUpdate();
            }
        });
        afterChange.run();
        if (changed == 0) {
            throw new DataValidationException("name: no user '" + name + "'");
        }
    }

    private static final String SELECT = "SELECT id, name, role, disabled, created_at, password_changed_at FROM users";

    private static Optional<User> find(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(user(rs)) : Optional.empty();
            }
        }
    }

    /** The user of the current row, whose first six columns are those of {@code SELECT} (for {@link ApiTokens}). */
    static User user(ResultSet rs) throws SQLException {
        return new User(rs.getLong(1), rs.getString(2), UserRole.valueOf(rs.getString(3).toUpperCase(java.util.Locale.ROOT)),
                rs.getBoolean(4), rs.getObject(5, LocalDateTime.class), rs.getObject(6, LocalDateTime.class));
    }

    private static void requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new DataValidationException("name: '" + name + "' is not a valid user name (1 to 64 letters, digits or . _ @ -)");
        }
    }

    private LocalDateTime now() {
        return LocalDateTime.ofInstant(engine.clock().instant(), ZoneOffset.UTC);
    }
}
