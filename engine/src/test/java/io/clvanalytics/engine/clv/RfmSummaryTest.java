package io.clvanalytics.engine.clv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RFM summary against values worked out by hand from a handful of purchase lines:
 * <pre>
 *   customer 1: 2024-01-01 two lines 10 + 5 (one purchase day), 2024-01-15 20 and a return of 8,
 *               2024-02-01 30, 2024-03-10 40
 *   customer 2: 2024-01-20 50, 2024-02-05 only a return of 10 (no purchase that day)
 *   customer 3: 2024-02-20 70
 * </pre>
 * Calibration ends 2024-02-15 and the holdout 2024-03-31 unless a test says otherwise; unit day.
 */
class RfmSummaryTest {

    private static final LocalDate CALIBRATION_END = LocalDate.of(2024, 2, 15);
    private static final LocalDate HOLDOUT_END = LocalDate.of(2024, 3, 31);

    @TempDir
    Path dir;
    private Engine engine;

    @BeforeEach
    void store() throws Exception {
        engine = Engine.open(dir.resolve("rfm.duckdb"));
        try (Connection c = engine.connect()) {
            c.createStatement().execute("INSERT INTO transactions(id, customer_id, date, amount, is_return, batch_id)"
                    + " SELECT row_number() OVER (), customer_id, date, amount, is_return, 1 FROM (VALUES"
                    + " (1, DATE '2024-01-01', 10, false), (1, DATE '2024-01-01', 5, false), (1, DATE '2024-01-15', 20, false),"
                    + " (1, DATE '2024-01-15', -8, true), (1, DATE '2024-02-01', 30, false), (1, DATE '2024-03-10', 40, false),"
                    + " (2, DATE '2024-01-20', 50, false), (2, DATE '2024-02-05', -10, true), (3, DATE '2024-02-20', 70, false)) t(customer_id, date, amount, is_return)");
        }
    }

    @AfterEach
    void close() {
        engine.close();
    }

    /** customer_id → {frequency, recency, T, monetary_value, calibration_amount, frequency_holdout, monetary_value_holdout, duration_holdout}. */
    private Map<Long, double[]> summary(RfmSummary.Options options) throws Exception {
        Map<Long, double[]> rows = new LinkedHashMap<>();
        try (Connection c = engine.connect()) {
            RfmSummary.create(c, options);
            ResultSet rs = c.createStatement().executeQuery("SELECT customer_id, frequency, recency, T, monetary_value, calibration_amount,"
                    + " frequency_holdout, monetary_value_holdout, duration_holdout FROM clv_rfm ORDER BY customer_id");
            while (rs.next()) {
                double[] v = new double[8];
                for (int i = 0; i < 8; i++) {
                    v[i] = rs.getDouble(i + 2);
                }
                rows.put(rs.getLong(1), v);
            }
        }
        return rows;
    }

    private static void assertRow(double[] expected, double[] actual) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-12, "column " + i);
        }
    }

    @Test
    void sameDayLinesAreOnePurchaseReturnsAreExcludedAndTheHoldoutIsCountedApart() throws Exception {
        Map<Long, double[]> rows = summary(new RfmSummary.Options(CALIBRATION_END, HOLDOUT_END, TimeUnit.DAY, null));
        // Days 01-01, 01-15, 02-01: 2 repeats, recency 31, T 45, repeat spend (20 + 30) / 2; holdout: one day of 40 in 45 days (2024 is a leap year).
        assertRow(new double[] {2, 31, 45, 25, 65, 1, 40, 45}, rows.get(1L));
        assertRow(new double[] {0, 0, 26, 0, 50, 0, 0, 45}, rows.get(2L));
        assertFalse(rows.containsKey(3L), "customer 3's first purchase is after the calibration end");
    }

    @Test
    void nettedReturnsComeOffTheirPeriodsRepeatSpend() throws Exception {
        Map<Long, double[]> rows = summary(new RfmSummary.Options(CALIBRATION_END, HOLDOUT_END, TimeUnit.DAY, RfmSummary.Returns.NET));
        // (20 − 8 + 30) / 2 = 21; calibration amount 65 − 8. A day with only a return is no purchase.
        assertRow(new double[] {2, 31, 45, 21, 57, 1, 40, 45}, rows.get(1L));
        assertRow(new double[] {0, 0, 26, 0, 40, 0, 0, 45}, rows.get(2L));
    }

    @Test
    void withoutAHoldoutLaterPurchasesAreIgnoredWhetherReturnsAreExcludedOrNetted() throws Exception {
        Map<Long, double[]> excluded = summary(new RfmSummary.Options(CALIBRATION_END, null, TimeUnit.DAY, null));
        assertRow(new double[] {2, 31, 45, 25, 65, 0, 0, 0}, excluded.get(1L));
        assertEquals(2, excluded.size());
        Map<Long, double[]> netted = summary(new RfmSummary.Options(CALIBRATION_END, null, TimeUnit.DAY, RfmSummary.Returns.NET));
        assertRow(new double[] {2, 31, 45, 21, 57, 0, 0, 0}, netted.get(1L));
        assertRow(new double[] {0, 0, 26, 0, 40, 0, 0, 0}, netted.get(2L));
    }

    @Test
    void theWholeHistoryEndsOnTheLastPurchaseDayAndWeeksAreDaysOverSeven() throws Exception {
        Map<Long, double[]> rows = summary(RfmSummary.Options.wholeHistory());
        // Ends 2024-03-10: customer 1 has 3 repeats over 69 days, customer 3 is 19 days old.
        assertRow(new double[] {3, 69 / 7.0, 69 / 7.0, 30, 105, 0, 0, 0}, rows.get(1L));
        assertRow(new double[] {0, 0, 19 / 7.0, 0, 70, 0, 0, 0}, rows.get(3L));
        assertTrue(rows.containsKey(2L));
    }
}
