package io.clvanalytics.engine.clv;

import io.clvanalytics.engine.DataVersion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Stores a purchase-model run's diagnostics as data (tables of V003): the period-transactions
 * histogram, the frequency-recency matrices, and cumulative/incremental tracking of the cohort's
 * repeat purchases, expected vs actual. Reads {@value RfmSummary#TABLE} of the run's summary.
 */
final class Diagnostics {

    private static final int HISTOGRAM_BUCKETS = 10;
    private static final int MATRIX_MAX_FREQUENCY = 40;
    private static final int MATRIX_RECENCY_STEPS = 40;
    private static final int MAX_TRACKING_PERIODS = 2000;

    private Diagnostics() {}

    static void store(Connection c, long runId, PurchaseModel model, double[] params, RfmSummary.Window window, RfmData d)
            throws SQLException {
        histogram(c, runId, model, params);
        frequencyRecency(c, runId, model, params, d);
        tracking(c, runId, model, params, window);
    }

    /**
     * Repeat purchase days of the summarised customers (days after each one's first, up to {@code end}) per
     * day, as [days since {@code start}, count]: kept with the stored summary ({@code clv_summary_days}), so
     * only the first fit with diagnostics on a summary pays this pass over the customer-days (the import's
     * {@link PurchaseDays} when current, else the transactions; without a holdout and lines lacking an amount, a
     * cheaper pass: see below), and none when the summary was built with them
     * ({@link RfmSummary#create(Connection, RfmSummary.Options, boolean)}).
     */
    private static List<long[]> repeatDays(Connection c, LocalDate start, LocalDate end, boolean holdout) throws SQLException {
        long entry = RfmSummary.entry(c);
        boolean stored;
        try (PreparedStatement ps = c.prepareStatement("SELECT repeat_days_stored FROM clv_summaries WHERE id = ?")) {
            ps.setLong(1, entry);
            try (ResultSet rs = ps.executeQuery()) {
                stored = rs.next() && rs.getBoolean(1);
            }
        }
        if (!stored) {
            boolean amountless = RfmSummary.purchaseLinesWithoutAmount(c, end);
            // The purchase days the import keeps are these customer-days when current and every purchase line has an
            // amount (tracking, unlike the summary, does not count a line without one).
            String customerDays = !amountless && PurchaseDays.current(c, DataVersion.transactions(c)) ? PurchaseDays.customerDaysUpTo("?")
                    : "SELECT DISTINCT customer_id, date FROM transactions WHERE date <= ? AND customer_id IS NOT NULL"
                            + " AND NOT (is_return OR amount < 0)";
            if (!holdout && !amountless) {
                RfmSummary.storeRepeatDaysFromFirsts(c, entry, customerDays, end);
            } else {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO clv_summary_days WITH days AS (" + customerDays + ")"
                        + " SELECT ?, d.date, count(*) FROM days d JOIN clv_rfm r USING (customer_id)"
                        + " WHERE d.date > r.first_date GROUP BY d.date")) {
                    ps.setObject(1, end);
                    ps.setLong(2, entry);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE clv_summaries SET repeat_days_stored = true WHERE id = ?")) {
                ps.setLong(1, entry);
                ps.executeUpdate();
            }
        }
        List<long[]> days = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT date_diff('day', ?, date), repeat_days FROM clv_summary_days WHERE summary_id = ?")) {
            ps.setObject(1, start);
            ps.setLong(2, entry);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    days.add(new long[] {rs.getLong(1), rs.getLong(2)});
                }
            }
        }
        return days;
    }

    /**
     * An appender on one of the diagnostics tables, inside the caller's transaction: a few thousand rows
     * appended at once, where a JDBC batch would run one INSERT per row.
     */
    private static DuckDBAppender appender(Connection c, String table) throws SQLException {
        return c.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, table);
    }

    /** Customers by calibration repeat purchases 0..9 and 10+, actual vs Σ_customers P(X(T_i) = k). */
    private static void histogram(Connection c, long runId, PurchaseModel model, double[] params) throws SQLException {
        long[] actual = new long[HISTOGRAM_BUCKETS + 1];
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT least(frequency, " + HISTOGRAM_BUCKETS + "), count(*) FROM clv_rfm GROUP BY 1")) {
            while (rs.next()) {
                actual[rs.getInt(1)] = rs.getLong(2);
            }
        }
        double[] expected = new double[HISTOGRAM_BUCKETS + 1];
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT avg(T), count(*) FROM clv_rfm GROUP BY t_days ORDER BY t_days")) {
            while (rs.next()) {
                double t = rs.getDouble(1);
                long n = rs.getLong(2);
                double below = 0;
                for (int k = 0; k < HISTOGRAM_BUCKETS; k++) {
                    double p = model.probabilityOfPurchasesNewCustomer(params, k, t);
                    expected[k] += n * p;
                    below += p;
                }
                expected[HISTOGRAM_BUCKETS] += n * Math.max(0, 1 - below);
            }
        }
        try (DuckDBAppender app = appender(c, "model_run_frequency_histogram")) {
            for (int k = 0; k <= HISTOGRAM_BUCKETS; k++) {
                app.beginRow().append(runId).append(k).append(k == HISTOGRAM_BUCKETS).append(actual[k]).append(expected[k]).endRow();
            }
        }
    }

    /** Expected purchases in the next period and P(alive) over a frequency × recency grid at T = the longest tenure. */
    private static void frequencyRecency(Connection c, long runId, PurchaseModel model, double[] params, RfmData d) throws SQLException {
        double maxT = 0;
        double maxX = 0;
        for (int i = 0; i < d.size(); i++) {
            maxT = Math.max(maxT, d.T()[i]);
            maxX = Math.max(maxX, d.frequency()[i]);
        }
        int fMax = (int) Math.min(maxX, MATRIX_MAX_FREQUENCY);
        List<double[]> cells = new ArrayList<>();
        double step = maxT / MATRIX_RECENCY_STEPS;
        for (int f = 0; f <= fMax; f++) {
            int steps = f == 0 || step == 0 ? 0 : MATRIX_RECENCY_STEPS;
            for (int j = 0; j <= steps; j++) {
                cells.add(new double[] {f, j * step});
            }
        }
        double[] x = cells.stream().mapToDouble(v -> v[0]).toArray();
        double[] r = cells.stream().mapToDouble(v -> v[1]).toArray();
        double[] t = new double[x.length];
        java.util.Arrays.fill(t, maxT);
        double[] expected = model.expectedPurchases(params, 1, x, r, t);
        double[] alive = model.probabilityAlive(params, x, r, t);
        try (DuckDBAppender app = appender(c, "model_run_frequency_recency")) {
            for (int i = 0; i < x.length; i++) {
                app.beginRow().append(runId).append((int) x[i]).append(r[i]).append(maxT).append(expected[i]).append(alive[i]).endRow();
            }
        }
    }

    /**
     * Repeat purchases of the summarised customers per period from the first purchase in the data
     * to the end of observation: actual (purchase days after each customer's first) vs expected
     * (Σ over first-purchase days of customers × E[X(t)] of a new customer).
     */
    private static void tracking(Connection c, long runId, PurchaseModel model, double[] params, RfmSummary.Window window)
            throws SQLException {
        LocalDate start = window.firstDate();
        LocalDate end = window.holdoutEnd() == null ? window.calibrationEnd() : window.holdoutEnd();
        double unitDays = window.unit().days();
        long totalDays = ChronoUnit.DAYS.between(start, end) + 1;
        int periods = (int) Math.min(MAX_TRACKING_PERIODS, Math.ceil(totalDays / unitDays));
        List<long[]> cohorts = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT date_diff('day', DATE '" + start + "', first_date), count(*) FROM clv_rfm GROUP BY 1 ORDER BY 1")) {
            while (rs.next()) {
                cohorts.add(new long[] {rs.getLong(1), rs.getLong(2)});
            }
        }
        double[] actual = new double[periods];
        for (long[] day : repeatDays(c, start, end, window.holdoutEnd() != null)) {
            int p = (int) Math.floor(day[0] / unitDays);
            if (p >= 0 && p < periods) {
                actual[p] += day[1];
            }
        }
        // A new customer's E[X(t)] depends only on the whole days since the first purchase: computed once per
        // day count (a few thousand) rather than once per period and cohort (periods × days, each a 2F1).
        double[] expectedNew = Rows.map((int) totalDays, k -> model.expectedPurchasesNewCustomer(params, k / unitDays));
        try (DuckDBAppender app = appender(c, "model_run_tracking")) {
            double cumulativeActual = 0;
            double previousExpected = 0;
            for (int p = 0; p < periods; p++) {
                long lastDay = Math.min(totalDays - 1, (long) Math.ceil((p + 1) * unitDays) - 1);
                double cumulativeExpected = 0;
                for (long[] cohort : cohorts) {
                    if (lastDay > cohort[0]) {
                        cumulativeExpected += cohort[1] * expectedNew[(int) (lastDay - cohort[0])];
                    }
                }
                cumulativeActual += actual[p];
                LocalDate periodStart = start.plusDays((long) Math.ceil(p * unitDays));
                app.beginRow().append(runId).append(p).append(periodStart).append(periodStart.isAfter(window.calibrationEnd()))
                        .append(actual[p]).append(cumulativeExpected - previousExpected).append(cumulativeActual).append(cumulativeExpected)
                        .endRow();
                previousExpected = cumulativeExpected;
            }
        }
    }
}
