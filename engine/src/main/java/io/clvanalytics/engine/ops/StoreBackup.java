package io.clvanalytics.engine.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.StoreException;
import io.clvanalytics.engine.store.Migrations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.Properties;

/**
 * Backups and verified restores of a store.
 *
 * <p>{@link #backup}: checkpoints, then copies the whole database (tables, sequences, views) into a new
 * DuckDB file in one snapshot ({@code ATTACH} + {@code COPY FROM DATABASE}), so it is consistent even
 * while the store is in use; the row count and checksum of every table are recorded inside the backup
 * ({@code store_meta} key {@value TableSums#MANIFEST_KEY}); the file appears under its name only when
 * complete. Archive Parquet files are not copied (back up the archive folder with it).
 *
 * <p>{@link #restore}: checks a copy of the backup first (it opens as DuckDB, its schema version is one this
 * build knows, it has a manifest and every table matches its count and checksum) and only then replaces
 * the store with one atomic rename. A bad backup is refused with {@link DataValidationException} and the
 * store is left unchanged. The store must not be open in another process.
 */
public final class StoreBackup {

    /** What a backup wrote. */
    public record BackupReport(String store, String storeId, String backup, int schemaVersion, long bytes, long tables,
                               long transactions, long customers, double seconds) {}

    /** What a restore checked and replaced. */
    public record RestoreReport(String store, String storeId, String backup, int schemaVersion, String backupCreatedAt, long tables,
                                long transactions, long customers, double seconds) {}

    /** Suffix of the staged copy a restore verifies beside the store. */
    static final String RESTORING_SUFFIX = ".restoring";
    private static final String PARTIAL_SUFFIX = ".partial";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALIAS = "clv_backup";

    private StoreBackup() {}

    /**
     * Writes a consistent backup of {@code engine}'s store to {@code target}, which must not exist yet and must not
     * be a file {@link OutputPaths} keeps commands off. The copy is written under a temporary name and renamed
     * when complete; temporary files of killed backups in the same folder are removed first.
     */
    public static BackupReport backup(Engine engine, Path target) {
        long t0 = System.nanoTime();
        OutputPaths.checkFile("--to", target, engine.file());
        Path absolute = target.toAbsolutePath().normalize();
        if (Files.exists(absolute)) {
            throw new DataValidationException("--to: " + absolute + " already exists; a backup never overwrites a file, pick a new name");
        }
        Path partial = RunFiles.temporary(absolute, PARTIAL_SUFFIX);
        try {
            Files.createDirectories(absolute.getParent());
        } catch (IOException e) {
            throw new DataValidationException("--to: cannot write to " + absolute.getParent() + " (" + e.getMessage() + ")");
        }
        RunFiles.removeDeadRuns(absolute.getParent(), PARTIAL_SUFFIX);
        engine.checkpoint();
        int version = engine.schemaVersion();
        String storeId = engine.storeId();
        TableSums sums;
        try (Connection c = engine.connect(); Statement st = c.createStatement()) {
            String source;
            try (ResultSet rs = st.executeQuery("SELECT current_database()")) {
                rs.next();
                source = rs.getString(1);
            }
            st.execute("ATTACH " + SqlText.pathLiteral(partial, "--to") + " AS " + ALIAS);
            try {
                st.execute("COPY FROM DATABASE " + SqlText.identifier(source) + " TO " + ALIAS);
                sums = TableSums.of(c, ALIAS);
                ObjectNode manifest = JSON.createObjectNode();
                manifest.put("created_at", LocalDateTime.now(engine.clock()).toString());
                manifest.put("source", engine.file().toString());
                manifest.put("store_id", storeId);
                manifest.put("schema_version", version);
                manifest.set("tables", sums.toJson(JSON));
                try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO " + ALIAS
                        + ".main.store_meta(key, value, updated_at) VALUES (?, ?, ?)")) {
                    ps.setString(1, TableSums.MANIFEST_KEY);
                    ps.setString(2, manifest.toString());
                    ps.setTimestamp(3, Timestamp.valueOf(LocalDateTime.now(engine.clock())));
                    ps.executeUpdate();
                }
            } finally {
                st.execute("DETACH " + ALIAS);
            }
            Files.move(partial, absolute, StandardCopyOption.ATOMIC_MOVE);
            return new BackupReport(engine.file().toString(), storeId, absolute.toString(), version, Files.size(absolute),
                    sums.tables().size(), sums.rows("transactions"), sums.rows("customers"), (System.nanoTime() - t0) / 1e9);
        } catch (SQLException | IOException e) {
            deleteQuietly(partial);
            throw new StoreException("backup of " + engine.file() + " to " + absolute + " failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(partial);
            throw e;
        }
    }

    /**
     * Replaces the store at {@code store} with the backup {@code backup} after verifying it; the store
     * must not be open (in this or another process). A backup of another store (by store identity), or one
     * that records no identity, replaces an existing store only with {@code force}. A staged copy left by a
     * killed restore is replaced.
     */
    public static RestoreReport restore(Path store, Path backup, boolean force) {
        long t0 = System.nanoTime();
        Path target = store.toAbsolutePath().normalize();
        Path source = backup.toAbsolutePath().normalize();
        if (!Files.isRegularFile(source)) {
            throw new DataValidationException("--from: " + source + " does not exist or is not a file");
        }
        // the backup must not be the store, or a file this restore writes or deletes
        OutputPaths.checkFile("--from", source, target);
        String currentId = null;
        if (Files.exists(target)) {
            // takes and releases the store's lock: fails naming the process when another one holds it
            try (Engine current = Engine.open(target)) {
                currentId = current.storeId();
            }
        }
        Path staged = target.resolveSibling(target.getFileName() + RESTORING_SUFFIX);
        try {
            Files.createDirectories(target.getParent());
            deleteQuietly(staged);
            Files.copy(source, staged);
            Verified v;
            try {
                v = verify(staged, source);
                if (currentId != null && !currentId.equals(v.storeId()) && !force) {
                    throw new DataValidationException("--from: " + source + (v.storeId() == null
                            ? " records no store identity (written before backups recorded one), so it cannot be told to be"
                              + " a backup of this store (store id " + currentId + ")"
                            : " is a backup of another store (store id " + v.storeId() + ", backed up from " + v.sourcePath()
                              + " at " + v.createdAt() + "); this store " + target + " is store id " + currentId)
                            + ". Add --force to replace this store with it anyway; the store was not changed");
                }
            } catch (RuntimeException e) {
                deleteQuietly(staged);
                throw e;
            }
            // the store was just closed, which checkpoints it: a write-ahead log left now is stale and must never be
            // replayed onto the restored file
            Files.deleteIfExists(target.resolveSibling(target.getFileName() + ".wal"));
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (Engine reopened = Engine.open(target)) {
                return new RestoreReport(target.toString(), reopened.storeId(), source.toString(), reopened.schemaVersion(),
                        v.createdAt(), v.sums().tables().size(), v.sums().rows("transactions"), v.sums().rows("customers"),
                        (System.nanoTime() - t0) / 1e9);
            }
        } catch (IOException e) {
            deleteQuietly(staged);
            throw new StoreException("restoring " + target + " from " + source + " failed: " + e.getMessage(), e);
        }
    }

    /** What the manifest of a verified backup says; {@code storeId} is null for backups written before store ids. */
    private record Verified(String createdAt, String storeId, String sourcePath, TableSums sums) {}

    /** Opens {@code file} read-only and checks it against its manifest; {@code shownAs} names it in messages. */
    private static Verified verify(Path file, Path shownAs) {
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        Connection c;
        try {
            c = DriverManager.getConnection("jdbc:duckdb:" + file, readOnly);
        } catch (SQLException e) {
            throw new DataValidationException("--from: " + shownAs + " is not a readable DuckDB store (" + firstLine(e) + ")");
        }
        try (c; Statement st = c.createStatement()) {
            int version;
            String manifestText;
            try {
                version = Migrations.currentVersion(c);
                try (ResultSet rs = st.executeQuery("SELECT value FROM store_meta WHERE key = '" + TableSums.MANIFEST_KEY + "'")) {
                    manifestText = rs.next() ? rs.getString(1) : null;
                }
            } catch (SQLException e) {
                throw new DataValidationException("--from: " + shownAs + " is not a CLV Analytics store (" + firstLine(e) + ")");
            }
            if (version > Migrations.LATEST) {
                throw new DataValidationException("--from: " + shownAs + " has schema version " + version
                        + " but this build knows versions up to " + Migrations.LATEST + "; upgrade CLV Analytics to restore it");
            }
            if (manifestText == null) {
                throw new DataValidationException("--from: " + shownAs + " has no backup manifest (store_meta key '"
                        + TableSums.MANIFEST_KEY + "'); only files written by `clv backup` can be verified and restored");
            }
            JsonNode manifest = JSON.readTree(manifestText);
            TableSums expected = TableSums.fromJson(manifest, "--from: " + shownAs);
            String catalog;
            try (ResultSet rs = st.executeQuery("SELECT current_database()")) {
                rs.next();
                catalog = rs.getString(1);
            }
            String difference = TableSums.of(c, catalog).firstDifference(expected);
            if (difference != null) {
                throw new DataValidationException("--from: " + shownAs + " failed verification: " + difference
                        + "; the backup is damaged or was changed after it was written");
            }
            return new Verified(manifest.path("created_at").asText(), manifest.hasNonNull("store_id") ? manifest.get("store_id").asText() : null,
                    manifest.path("source").asText(), expected);
        } catch (SQLException | IOException e) {
            throw new DataValidationException("--from: " + shownAs + " cannot be verified (" + e.getMessage() + ")");
        }
    }

    private static String firstLine(SQLException e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
            Files.deleteIfExists(p.resolveSibling(p.getFileName() + ".wal"));
        } catch (IOException ignored) {
            // best effort: a leftover temp file is named after its purpose and harmless
        }
    }
}
