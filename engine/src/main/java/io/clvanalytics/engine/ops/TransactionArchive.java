package io.clvanalytics.engine.ops;

import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.DataVersion;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.StoreException;
import io.clvanalytics.engine.clv.PurchaseDays;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.DirectoryStream;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Moves transactions dated before a day out of the store into a Parquet file, keeping them queryable.
 *
 * <p>Sequence, inside one store transaction: count the rows, write them to a Parquet file under a temporary
 * name, read it back and check its row count and amount total, rename it to its final name
 * ({@code transactions-STOREID8-N-before-DATE.parquet}), delete the rows, record the file in {@code archives}
 * and redefine the view {@code transactions_all} (= {@code transactions} UNION ALL BY NAME every archive
 * file). Any failure rolls the store back and deletes the new file, so rows are never lost or doubled.
 *
 * <p>A run killed before its commit leaves at most a temporary file, or a checked file under its final name
 * that {@code archives} does not list (its rows are still in the store); the next archive into that folder
 * removes both, recognising this store's files by the store id in their names. The files must stay where
 * they were written ({@code transactions_all} reads them on every query).
 */
public final class TransactionArchive {

    /** What an archive run moved; {@code file} is null when there was nothing before the date. */
    public record Report(String store, LocalDate before, String file, long rows, BigDecimal amount,
                         LocalDate firstDate, LocalDate lastDate, long remainingTransactions, long archivedTotal) {}

    private static final String TEMPORARY_SUFFIX = ".tmp";

    private TransactionArchive() {}

    /** The default folder: {@code archive} beside the store file. */
    public static Path defaultFolder(Engine engine) {
        return engine.file().resolveSibling("archive");
    }

    /**
     * Archives the transactions dated before {@code before} into {@code folder}. One archive at a time per
     * process (a second call waits), so one run's unrecorded file is never taken for another's debris.
     */
    public static synchronized Report archive(Engine engine, LocalDate before, Path folder) {
        if (before == null) {
            throw new DataValidationException("--before: a date is required (yyyy-MM-dd)");
        }
        OutputPaths.checkFolder("--to", folder, engine.file());
        Path dir = folder.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DataValidationException("--to: cannot create folder " + dir + " (" + e.getMessage() + ")");
        }
        String prefix = "transactions-" + engine.storeId().substring(0, 8) + "-";
        Path file = null;
        Path temporary = null;
        try (Connection c = engine.connect()) {
            c.setAutoCommit(false);
            try {
                removeDebris(c, dir, prefix);
                Report report;
                long rows;
                BigDecimal amount;
                LocalDate first;
                LocalDate last;
                try (PreparedStatement ps = c.prepareStatement("SELECT count(*), coalesce(sum(amount), 0), min(date), max(date)"
                        + " FROM transactions WHERE date < ?")) {
                    ps.setObject(1, before);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        rows = rs.getLong(1);
                        amount = rs.getBigDecimal(2);
                        first = rs.getObject(3, LocalDate.class);
                        last = rs.getObject(4, LocalDate.class);
                    }
                }
                if (rows == 0) {
                    c.rollback();
                    return new Report(engine.file().toString(), before, null, 0, BigDecimal.ZERO, null, null,
                            count(c, "SELECT count(*) FROM transactions"), count(c, "SELECT coalesce(sum(rows), 0) FROM archives"));
                }
                long id = count(c, "SELECT nextval('archive_seq')");
                Path candidate = dir.resolve(prefix + id + "-before-" + before + ".parquet");
                if (Files.exists(candidate)) {
                    throw new DataValidationException("--to: " + candidate + " already exists; archive into another folder");
                }
                temporary = RunFiles.temporary(candidate, TEMPORARY_SUFFIX);
                String fileLiteral = SqlText.pathLiteral(temporary, "--to");
                // the date is a parsed LocalDate, so its ISO text is safe in the COPY statement (which takes no parameters)
                String dateLiteral = "DATE '" + before + "'";
                try (Statement st = c.createStatement()) {
                    st.execute("COPY (SELECT * FROM transactions WHERE date < " + dateLiteral + " ORDER BY date, id) TO "
                            + fileLiteral + " (FORMAT parquet, COMPRESSION zstd)");
                    try (ResultSet rs = st.executeQuery("SELECT count(*), coalesce(sum(amount), 0) FROM read_parquet(" + fileLiteral + ")")) {
                        rs.next();
                        if (rs.getLong(1) != rows || rs.getBigDecimal(2).compareTo(amount) != 0) {
                            throw new StoreException("archive file " + temporary + " holds " + rs.getLong(1) + " rows totalling "
                                    + rs.getBigDecimal(2) + " but " + rows + " rows totalling " + amount
                                    + " were written; nothing was deleted");
                        }
                    }
                }
                try {
                    Files.move(temporary, candidate, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    throw new StoreException("renaming archive file " + temporary + " to " + candidate + " failed: " + e.getMessage(), e);
                }
                file = candidate;
                String transactionsBefore = DataVersion.transactions(c);
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM transactions WHERE date < ?")) {
                    ps.setObject(1, before);
                    int deleted = ps.executeUpdate();
                    if (deleted != rows) {
                        throw new StoreException("deleting archived rows removed " + deleted + " rows, expected " + rows);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO archives(id, before_date, file, rows, amount_sum,"
                        + " first_date, last_date, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setLong(1, id);
                    ps.setObject(2, before);
                    ps.setString(3, file.toString());
                    ps.setLong(4, rows);
                    ps.setBigDecimal(5, amount);
                    ps.setObject(6, first);
                    ps.setObject(7, last);
                    ps.setTimestamp(8, Timestamp.valueOf(LocalDateTime.now(engine.clock())));
                    ps.executeUpdate();
                }
                PurchaseDays.afterDeleteBefore(c, before, transactionsBefore);
                redefineView(c);
                report = new Report(engine.file().toString(), before, file.toString(), rows, amount, first, last,
                        count(c, "SELECT count(*) FROM transactions"), count(c, "SELECT coalesce(sum(rows), 0) FROM archives"));
                c.commit();
                file = null; // committed: from here on the file holds the only copy of its rows
                temporary = null;
                engine.checkpoint();
                return report;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            deleteQuietly(temporary);
            deleteQuietly(file);
            throw new StoreException("archiving transactions of " + engine.file() + " before " + before + " failed: "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(temporary);
            deleteQuietly(file);
            throw e;
        }
    }

    /**
     * Deletes what killed archive runs left in {@code dir}: temporary files of dead processes, and files named
     * for this store ({@code prefix}) that {@code archives} does not list (a run killed between rename and commit;
     * its rows were never deleted from the store).
     */
    private static void removeDebris(Connection c, Path dir, String prefix) throws SQLException {
        RunFiles.removeDeadRuns(dir, TEMPORARY_SUFFIX);
        Set<Path> recorded = new HashSet<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT file FROM archives")) {
            while (rs.next()) {
                recorded.add(OutputPaths.canonical(Path.of(rs.getString(1))));
            }
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, prefix + "*.parquet")) {
            for (Path f : files) {
                if (OutputPaths.ARCHIVE_FILE.matcher(f.getFileName().toString()).matches() && Files.isRegularFile(f)
                        && !recorded.contains(OutputPaths.canonical(f))) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            throw new StoreException("cannot clear what a killed archive run left in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** {@code transactions_all} = the table plus every recorded archive file. */
    private static void redefineView(Connection c) throws SQLException {
        List<String> files = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT file FROM archives ORDER BY id")) {
            while (rs.next()) {
                files.add(SqlText.pathLiteral(Path.of(rs.getString(1)), "archives.file"));
            }
        }
        String sql = "CREATE OR REPLACE VIEW transactions_all AS SELECT * FROM transactions"
                + (files.isEmpty() ? "" : " UNION ALL BY NAME SELECT * FROM read_parquet([" + String.join(", ", files) + "])");
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // the archives table does not list it, so a leftover file is never read
            }
        }
    }
}
