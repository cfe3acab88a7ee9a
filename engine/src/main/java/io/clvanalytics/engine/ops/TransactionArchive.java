package io.clvanalytics.engine.ops;

import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.StoreException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Moves transactions dated before a day out of the store into a Parquet file, keeping them queryable.
 *
 * <p>Sequence, inside one store transaction: count the rows, write them to a new Parquet file, read the
 * file back and check its row count and amount total, delete the rows, record the file in
 * {@code archives} and redefine the view {@code transactions_all} (= {@code transactions} UNION ALL BY
 * NAME every archive file). Any failure rolls the store back and deletes the new file, so rows are
 * never lost or doubled. The files must stay where they were written ({@code transactions_all} reads
 * them on every query).
 */
public final class TransactionArchive {

    /** What an archive run moved; {@code file} is null when there was nothing before the date. */
    public record Report(String store, LocalDate before, String file, long rows, BigDecimal amount,
                         LocalDate firstDate, LocalDate lastDate, long remainingTransactions, long archivedTotal) {}

    private TransactionArchive() {}

    /** The default folder: {@code archive} beside the store file. */
    public static Path defaultFolder(Engine engine) {
        return engine.file().resolveSibling("archive");
    }

    public static Report archive(Engine engine, LocalDate before, Path folder) {
        if (before == null) {
            throw new DataValidationException("--before: a date is required (yyyy-MM-dd)");
        }
        Path dir = folder.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DataValidationException("--to: cannot create folder " + dir + " (" + e.getMessage() + ")");
        }
        Path file = null;
        try (Connection c = engine.connect()) {
            c.setAutoCommit(false);
            try {
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
                Path candidate = dir.resolve("transactions-" + id + "-before-" + before + ".parquet");
                if (Files.exists(candidate)) {
                    throw new DataValidationException("--to: " + candidate + " already exists; archive into another folder");
                }
                file = candidate;
                String fileLiteral = SqlText.pathLiteral(file, "--to");
                // the date is a parsed LocalDate, so its ISO text is safe in the COPY statement (which takes no parameters)
                String dateLiteral = "DATE '" + before + "'";
                try (Statement st = c.createStatement()) {
                    st.execute("COPY (SELECT * FROM transactions WHERE date < " + dateLiteral + " ORDER BY date, id) TO "
                            + fileLiteral + " (FORMAT parquet, COMPRESSION zstd)");
                    try (ResultSet rs = st.executeQuery("SELECT count(*), coalesce(sum(amount), 0) FROM read_parquet(" + fileLiteral + ")")) {
                        rs.next();
                        if (rs.getLong(1) != rows || rs.getBigDecimal(2).compareTo(amount) != 0) {
                            throw new StoreException("archive file " + file + " holds " + rs.getLong(1) + " rows totalling "
                                    + rs.getBigDecimal(2) + " but " + rows + " rows totalling " + amount
                                    + " were written; nothing was deleted");
                        }
                    }
                }
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
                redefineView(c);
                report = new Report(engine.file().toString(), before, file.toString(), rows, amount, first, last,
                        count(c, "SELECT count(*) FROM transactions"), count(c, "SELECT coalesce(sum(rows), 0) FROM archives"));
                c.commit();
                engine.checkpoint();
                return report;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            deleteQuietly(file);
            throw new StoreException("archiving transactions of " + engine.file() + " before " + before + " failed: "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(file);
            throw e;
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
