package io.clvanalytics.engine.clv;

import io.clvanalytics.engine.DataVersion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;

/**
 * The store's purchase days, {@code clv_purchase_days}: one row per customer and day with purchase lines (no
 * returns, no negative amounts) and the day's amount, plus one row per import and day for guest lines (customer
 * NULL, kept for the store's purchase range only). Every day-timed RFM summary that excludes returns — the
 * default, and {@code clv score --refit}'s — reads it instead of grouping the purchase lines again: about
 * half of the summary's time at 1,000,000 customers.
 *
 * <p>The rows are current when {@code clv_purchase_days_state} holds the store's {@link DataVersion#transactions}:
 * imports and archives keep them current in the transaction that changes the lines; any other change (a generated
 * store, a restored older one) leaves them stale, and readers then group the lines themselves as before, so a stale
 * table is slower, never wrong.
 */
public final class PurchaseDays {

    /** A line that makes its day a purchase day (the summary's, with returns excluded). */
    private static final String PURCHASE_LINE = "NOT (is_return OR coalesce(amount, 0) < 0)";

    private PurchaseDays() {}

    /** Whether the rows are those of the transactions whose {@link DataVersion#transactions} is {@code version}. */
    static boolean current(Connection c, String version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM clv_purchase_days_state WHERE transactions_version = ?")) {
            ps.setString(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    /** First and last purchase day in the store (guest lines included), or null without any; only while {@link #current}. */
    static LocalDate[] range(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT min(date), max(date) FROM clv_purchase_days")) {
            rs.next();
            java.sql.Date min = rs.getDate(1);
            return min == null ? null : new LocalDate[] {min.toLocalDate(), rs.getDate(2).toLocalDate()};
        }
    }

    /**
     * The customer-days of purchases up to the day bound to {@code endParameter} (a fixed parameter marker, {@code $2}
     * or {@code ?}; never input), as the summary reads them: {@code customer_id, date, purchase, amount}.
     */
    static String customerDaysUpTo(String endParameter) {
        return "SELECT customer_id, date, TRUE AS purchase, amount FROM clv_purchase_days WHERE customer_id IS NOT NULL AND date <= "
                + endParameter;
    }

    /**
     * Takes the lines import batch {@code batchId} just inserted on {@code c} (same transaction) into the rows: when
     * they were current for {@code versionBefore} (the transactions before the batch), the batch's customers' days
     * are recomputed (a day of theirs may have gained lines) and its guest days added; else (the first import, or
     * after a change that left them stale) all rows are rebuilt. Call it after the batch is recorded in {@code import_batches} (part of the version).
     */
    public static void afterImport(Connection c, long batchId, String versionBefore) throws SQLException {
        if (!current(c, versionBefore)) {
            rebuild(c);
            return;
        }
        String batchCustomers = "SELECT customer_id FROM transactions WHERE batch_id = ? AND customer_id IS NOT NULL";
        execute(c, "DELETE FROM clv_purchase_days WHERE customer_id IN (" + batchCustomers + ")", batchId);
        execute(c, "INSERT INTO clv_purchase_days SELECT customer_id, date, sum(amount) FROM transactions WHERE customer_id IN ("
                + batchCustomers + ") AND " + PURCHASE_LINE + " GROUP BY customer_id, date", batchId);
        execute(c, "INSERT INTO clv_purchase_days SELECT NULL, date, sum(amount) FROM transactions WHERE batch_id = ?"
                + " AND customer_id IS NULL AND " + PURCHASE_LINE + " GROUP BY date", batchId);
        markCurrent(c);
    }

    /**
     * After {@code DELETE FROM transactions WHERE date < before} on {@code c} (an archive, same transaction): drops
     * the same days when the rows were current for {@code versionBefore}, else rebuilds them. Call it once the
     * archive is recorded in {@code archives} (part of the version).
     */
    public static void afterDeleteBefore(Connection c, LocalDate before, String versionBefore) throws SQLException {
        if (!current(c, versionBefore)) {
            rebuild(c);
            return;
        }
        execute(c, "DELETE FROM clv_purchase_days WHERE date < ?", before);
        markCurrent(c);
    }

    /** Rebuilds the rows from all purchase lines and marks them current (a generated store, say). */
    public static void rebuild(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("DELETE FROM clv_purchase_days");
            st.execute("INSERT INTO clv_purchase_days SELECT customer_id, date, sum(amount) FROM transactions WHERE " + PURCHASE_LINE
                    + " GROUP BY customer_id, date");
        }
        markCurrent(c);
    }

    private static void markCurrent(Connection c) throws SQLException {
        String version = DataVersion.transactions(c);
        try (Statement st = c.createStatement()) {
            st.execute("DELETE FROM clv_purchase_days_state");
        }
        execute(c, "INSERT INTO clv_purchase_days_state VALUES (?)", version);
    }

    private static void execute(Connection c, String sql, Object param) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, param);
            ps.executeUpdate();
        }
    }
}
