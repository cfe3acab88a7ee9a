package io.clvanalytics.engine.store;

import io.clvanalytics.engine.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Versioned schema migrations, applied in order when a store is opened and recorded in
 * {@code schema_migrations}. Each migration is one SQL resource under {@code db/migration/}. The
 * pending ones run in one transaction: a store is migrated wholly or not at all, and a new store costs
 * one commit (one WAL sync) rather than one per migration. A store whose recorded version is newer
 * than {@link #LATEST} was written by a newer build and is refused untouched.
 */
public final class Migrations {

    /** One migration: its version and the resource holding its SQL. */
    record Migration(int version, String resource) {}

    // Append only; never edit a migration that has been released.
    private static final List<Migration> ALL = List.of(
            new Migration(1, "V001__core.sql"),
            new Migration(2, "V002__quality.sql"),
            new Migration(3, "V003__clv.sql"),
            new Migration(4, "V004__retention.sql"),
            new Migration(5, "V005__lifecycle.sql"),
            new Migration(6, "V006__generator_truth.sql"),
            new Migration(7, "V007__ops_archive.sql"),
            new Migration(8, "V008__guest_purchases.sql"),
            new Migration(9, "V009__clv_purchase_counts.sql"),
            new Migration(10, "V010__source_segment.sql"),
            new Migration(11, "V011__users.sql"),
            new Migration(12, "V012__schedules.sql"),
            new Migration(13, "V013__store_identity.sql"),
            new Migration(15, "V015__purchases_without_amounts.sql"),
            new Migration(16, "V016__model_run_boundary.sql"),
            new Migration(19, "V019__api_token_last_used.sql"),
            new Migration(21, "V021__clv_summary_cache.sql"),
            new Migration(24, "V024__product_lifecycle_series.sql"),
            new Migration(25, "V025__purchase_days_kept_summary_rows.sql"));

    /** The newest schema version this build knows. */
    public static final int LATEST = ALL.stream().mapToInt(Migration::version).max().orElseThrow();

    private Migrations() {}

    /** Brings the store on {@code conn} up to {@link #LATEST}. */
    public static void apply(Connection conn, Path file) {
        try {
            boolean auto = conn.getAutoCommit();
            conn.setAutoCommit(false);
            try {
                migrate(conn, file);
                conn.commit();
            } catch (SQLException | RuntimeException e) {
                conn.rollback();
                throw e;
            } finally {
                conn.setAutoCommit(auto);
            }
        } catch (SQLException e) {
            throw new StoreException("migrating store " + file + " failed: " + e.getMessage(), e);
        }
    }

    private static void migrate(Connection conn, Path file) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS schema_migrations ("
                    + "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)");
        }
        int current = currentVersion(conn);
        if (current > LATEST) {
            throw new StoreException("store " + file + " has schema version " + current
                    + " but this build of CLV Analytics knows versions up to " + LATEST
                    + "; it was written by a newer version. Upgrade CLV Analytics to open it (the file was not changed).");
        }
        // every migration not yet recorded, not only those above the highest: numbers are handed out to
        // branches in advance, so a store may hold version 13 before 11 lands
        Set<Integer> applied = appliedVersions(conn);
        for (Migration m : ALL) {
            if (!applied.contains(m.version())) {
                run(conn, m);
            }
        }
    }

    /** The highest applied version, 0 for a new store. */
    public static int currentVersion(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT coalesce(max(version), 0) FROM schema_migrations")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static Set<Integer> appliedVersions(Connection conn) throws SQLException {
        Set<Integer> versions = new HashSet<>();
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT version FROM schema_migrations")) {
            while (rs.next()) {
                versions.add(rs.getInt(1));
            }
        }
        return versions;
    }

    private static void run(Connection conn, Migration m) throws SQLException {
        String sql = load(m.resource());
        try (Statement st = conn.createStatement()) {
            for (String statement : sql.split(";\\s*(\\r?\\n|$)")) {
                if (!statement.isBlank()) {
                    st.execute(statement);
                }
            }
            try (PreparedStatement ps = conn.prepareStatement(
                    "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, current_timestamp)")) {
                ps.setInt(1, m.version());
                ps.setString(2, m.resource());
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new SQLException("migration " + m.resource() + ": " + e.getMessage(), e);
        }
    }

    private static String load(String resource) {
        try (InputStream in = Migrations.class.getResourceAsStream("/db/migration/" + resource)) {
            if (in == null) {
                throw new StoreException("migration resource db/migration/" + resource + " is missing from the engine jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StoreException("cannot read migration " + resource + ": " + e.getMessage(), e);
        }
    }
}
