package io.clvanalytics.engine.users;

import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.StoreException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API tokens for machine clients. A token is {@code clv_<id>_<32 random bytes, base64url>}; it is
 * shown once by {@link #create} and only its SHA-256 is stored (the token has 256 bits of entropy,
 * so a slow hash adds nothing). A token acts with its owner's role; it stops working when it
 * expires, is revoked, or its owner is disabled. Thread-safe.
 */
public final class ApiTokens {

    private static final Pattern FORMAT = Pattern.compile("clv_([0-9]{1,18})_([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Engine engine;
    private final Runnable afterChange;

    public ApiTokens(Engine engine) {
        this(engine, () -> {});
    }

    /**
     * Tokens whose revocations call {@code afterChange} once committed, for callers that keep what
     * {@link #verify} answered (the server's memory of checked tokens).
     */
    public ApiTokens(Engine engine, Runnable afterChange) {
        this.engine = engine;
        this.afterChange = afterChange;
    }

    /**
     * A token as listed (never the secret).
     *
     * @param id        the token's id (part of the token)
     * @param userName  whose roles it acts with
     * @param label     what it is for
     * @param createdAt when it was made (UTC)
     * @param expiresAt when it stops working, if ever (UTC)
     * @param revokedAt when it was revoked, if it was (UTC)
     * @param lastUsedAt when a request last used it, if ever (UTC; recorded at most about once a minute, see {@link #recordUse})
     */
    public record TokenInfo(long id, String userName, String label, LocalDateTime createdAt,
                            Optional<LocalDateTime> expiresAt, Optional<LocalDateTime> revokedAt,
                            Optional<LocalDateTime> lastUsedAt) {}

    /** A token that passed {@link #verify}: its id, the user it acts for and when it expires (UTC), if ever. */
    public record TokenUser(long tokenId, User user, Optional<LocalDateTime> expiresAt) {}

    /** A new token: {@code secret} is the only copy, show it once. */
    public record CreatedToken(TokenInfo info, String secret) {}

    /** Makes a token for {@code userName}; {@code expiresAt} empty means it never expires. */
    public CreatedToken create(String userName, String label, Optional<Instant> expiresAt) {
        if (label == null || label.isBlank() || label.length() > 100) {
            throw new DataValidationException("label: say what the token is for, in 1 to 100 characters");
        }
        LocalDateTime now = utc(engine.clock().instant());
        Optional<LocalDateTime> expires = expiresAt.map(ApiTokens::utc);
        if (expires.isPresent() && !expires.get().isAfter(now)) {
            throw new DataValidationException("expires: must be in the future (was " + expires.get() + " UTC)");
        }
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String tail = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        return engine.inTransaction(c -> {
            long userId;
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM users WHERE name = ?")) {
                ps.setString(1, userName);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new DataValidationException("user: no user '" + userName + "'");
                    }
                    userId = rs.getLong(1);
                }
            }
            long id;
            try (PreparedStatement ps = c.prepareStatement("SELECT nextval('api_token_seq')"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                id = rs.getLong(1);
            }
            String secret = "clv_" + id + "_" + tail;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_tokens(id, user_id, label, token_sha256,"
                    + " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setLong(1, id);
                ps.setLong(2, userId);
                ps.setString(3, label.strip());
                ps.setString(4, sha256(secret));
                ps.setObject(5, now);
                ps.setObject(6, expires.orElse(null));
                ps.executeUpdate();
            }
            return new CreatedToken(new TokenInfo(id, userName, label.strip(), now, expires, Optional.empty(), Optional.empty()),
                    secret);
        });
    }

    /** Every token, newest first. */
    public List<TokenInfo> list() {
        try (Connection c = engine.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT t.id, u.name, t.label, t.created_at, t.expires_at, t.revoked_at, t.last_used_at FROM api_tokens t"
                        + " JOIN users u ON u.id = t.user_id ORDER BY t.id DESC");
             ResultSet rs = ps.executeQuery()) {
            List<TokenInfo> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new TokenInfo(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getObject(4, LocalDateTime.class),
                        Optional.ofNullable(rs.getObject(5, LocalDateTime.class)),
                        Optional.ofNullable(rs.getObject(6, LocalDateTime.class)),
                        Optional.ofNullable(rs.getObject(7, LocalDateTime.class))));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("cannot list the API tokens of " + engine.file() + ": " + e.getMessage(), e);
        }
    }

    /** Revokes token {@code id} from the next request on; revoking twice is harmless. */
    public void revoke(long id) {
        LocalDateTime now = utc(engine.clock().instant());
        int changed = engine.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?")) {
                ps.setObject(1, now);
                ps.setLong(2, id);
                return ps.executeUpdate();
            }
        });
        afterChange.run();
        if (changed == 0) {
            throw new DataValidationException("id: no API token " + id);
        }
    }

    /** The enabled user a valid, unexpired, unrevoked {@code token} acts for; empty otherwise. */
    public Optional<User> authenticate(String token) {
        return verify(token).map(TokenUser::user);
    }

    /**
     * The token id and enabled user of a valid, unexpired, unrevoked {@code token}; empty otherwise.
     * One indexed read of the token with its owner (API clients pay it on every request).
     */
    public Optional<TokenUser> verify(String token) {
        if (token == null) {
            return Optional.empty();
        }
        Matcher m = FORMAT.matcher(token);
        if (!m.matches()) {
            return Optional.empty();
        }
        LocalDateTime now = utc(engine.clock().instant());
        try (Connection c = engine.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT u.id, u.name, u.role, u.disabled, u.created_at, u.password_changed_at, t.token_sha256, t.id, t.expires_at"
                        + " FROM api_tokens t JOIN users u ON u.id = t.user_id"
                        + " WHERE t.id = ? AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > ?)"
                        + " AND NOT u.disabled")) {
            ps.setLong(1, Long.parseLong(m.group(1)));
            ps.setObject(2, now);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                byte[] stored = rs.getString(7).getBytes(StandardCharsets.US_ASCII);
                byte[] given = sha256(token).getBytes(StandardCharsets.US_ASCII);
                if (!MessageDigest.isEqual(stored, given)) {
                    return Optional.empty();
                }
                return Optional.of(new TokenUser(rs.getLong(8), Users.user(rs), Optional.ofNullable(rs.getObject(9, LocalDateTime.class))));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot check an API token: " + e.getMessage(), e);
        }
    }

    /**
     * Records that token {@code id} was used at {@code at} (never moves the time back). A write: callers
     * that see many requests record a token at most about once a minute, not on every request.
     */
    public void recordUse(long id, Instant at) {
        LocalDateTime when = utc(at);
        engine.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE api_tokens SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)")) {
                ps.setObject(1, when);
                ps.setLong(2, id);
                ps.setObject(3, when);
                return ps.executeUpdate();
            }
        });
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static LocalDateTime utc(Instant i) {
        return LocalDateTime.ofInstant(i, ZoneOffset.UTC);
    }
}
