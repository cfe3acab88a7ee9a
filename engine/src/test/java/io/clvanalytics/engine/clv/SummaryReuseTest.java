package io.clvanalytics.engine.clv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.clvanalytics.engine.DataVersion;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.generate.DemoDataGenerator;
import io.clvanalytics.engine.generate.GeneratorConfig;
import io.clvanalytics.engine.ingest.ImportOptions;
import io.clvanalytics.engine.ingest.Importer;
import io.clvanalytics.engine.ops.TransactionArchive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RFM summary is computed once per (transactions version, options) and reused: the second command on the same
 * data and options keeps its rows, every later one reads them back with the same results to the last bit, and any
 * import or archive makes the next command build a new one.
 */
class SummaryReuseTest {

    private static final LocalDate LAST_DAY = LocalDate.of(2026, 6, 30);

    @TempDir
    Path dir;

    private static long scalar(Engine e, String sql) throws SQLException {
        try (Connection c = e.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String transactionsVersion(Engine e) throws SQLException {
        try (Connection c = e.connect()) {
            return DataVersion.transactions(c);
        }
    }

    /** customer id, frequency, recency, T, monetary value of every customer, in id order, from the whole-history summary. */
    private static List<double[]> wholeHistorySummary(Engine e) throws SQLException {
        List<double[]> rows = new ArrayList<>();
        try (Connection c = e.connect()) {
            RfmSummary.create(c, RfmSummary.Options.wholeHistory());
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT customer_id, frequency, recency, T, monetary_value FROM clv_rfm ORDER BY customer_id")) {
                while (rs.next()) {
                    rows.add(new double[] {rs.getDouble(1), rs.getDouble(2), rs.getDouble(3), rs.getDouble(4), rs.getDouble(5)});
                }
            }
        }
        return rows;
    }

    private Engine generated() {
        Engine e = Engine.open(dir.resolve("reuse.duckdb"));
        DemoDataGenerator.generate(e, GeneratorConfig.defaults(1500, 3).withDates(GeneratorConfig.DEFAULT_START, LAST_DAY),
                DemoDataGenerator.ProgressListener.NONE);
        return e;
    }

    @Test
    void fitThenSpendFitThenScoreBuildOneSummaryAndAReusedSummaryGivesTheSameResultsToTheLastBit() throws Exception {
        try (Engine e = generated()) {
            ClvService clv = ClvService.on(e);
            ClvService.FitReport first = clv.fit("bgnbd", RfmSummary.Options.wholeHistory(), 0, true);
            assertEquals(0, scalar(e, "SELECT count(*) FROM clv_summary_rows"), "a one-off command keeps no summary rows");
            clv.fit("gg", RfmSummary.Options.wholeHistory(), 0, false);
            assertEquals(1500, scalar(e, "SELECT count(*) FROM clv_summary_rows"), "the second command on the same data keeps them");
            clv.score("bgnbd", 12, 0.01);
            String kept = "SELECT count(*) FROM clv_summaries WHERE rows_stored";
            assertEquals(1, scalar(e, kept), "fit, fit --model gg and score: one summary kept");
            assertEquals(1500, scalar(e, "SELECT count(*) FROM clv_summary_rows"), "the score read it back");

            ClvService.FitReport reused = clv.fit("bgnbd", RfmSummary.Options.wholeHistory(), 0, true);
            assertEquals(1, scalar(e, kept), "the next fit reuses it");
            assertEquals(1500, scalar(e, "SELECT count(*) FROM clv_summary_rows"));
            assertArrayEquals(first.fit().values(), reused.fit().values());
            assertEquals(first.fit().logLikelihood(), reused.fit().logLikelihood());
            String diagnostics = "SELECT sum(hash(period, actual, expected, cumulative_actual, cumulative_expected))"
                    + " FROM model_run_tracking WHERE run_id = ";
            assertEquals(scalar(e, diagnostics + first.runId()), scalar(e, diagnostics + reused.runId()),
                    "tracking diagnostics from the kept repeat days equal the first ones");

            // Another time unit is another summary; the weekly one stays.
            clv.fit("bgnbd", new RfmSummary.Options(null, null, TimeUnit.DAY, null), 0, false);
            clv.fit("bgnbd", new RfmSummary.Options(null, null, TimeUnit.DAY, null), 0, false);
            assertEquals(2, scalar(e, kept));
            assertEquals(3000, scalar(e, "SELECT count(*) FROM clv_summary_rows"));

            try (Connection c = e.connect(); Statement st = c.createStatement()) {
                st.execute("DELETE FROM clv_summary_rows");
                st.execute("DELETE FROM clv_summary_days");
                st.execute("DELETE FROM clv_summaries");
            }
            ClvService.FitReport fresh = clv.fit("bgnbd", RfmSummary.Options.wholeHistory(), 0, true);
            assertArrayEquals(first.fit().values(), fresh.fit().values(), "a summary built afresh gives the same fit");
            assertEquals(scalar(e, diagnostics + first.runId()), scalar(e, diagnostics + fresh.runId()));
        }
    }

    @Test
    void anImportOrAnArchiveChangesTheTransactionsVersionAndTheNextFitSummarisesTheNewData() throws Exception {
        try (Engine e = generated()) {
            ClvService clv = ClvService.on(e);
            String v0 = transactionsVersion(e);
            clv.fitAndScore("bgnbd", TimeUnit.WEEK, 0, 12, 0.01, true);
            assertEquals(v0, transactionsVersion(e), "fits and scores do not change the transactions version");
            double[] before = wholeHistorySummary(e).stream().filter(r -> r[2] < r[3]).findFirst().orElseThrow();
            String code = scalarText(e, "SELECT source_id FROM customers WHERE id = " + (long) before[0]);

            Path csv = dir.resolve("more.csv");
            Files.writeString(csv, "customer_id,date,amount\n" + code + "," + LAST_DAY + ",99.00\n");
            Importer.into(e).run(ImportOptions.builder(csv).build());
            String v1 = transactionsVersion(e);
            assertNotEquals(v0, v1, "an import changes it");
            clv.fitAndScore("bgnbd", TimeUnit.WEEK, 0, 12, 0.01, true);
            assertEquals(1, scalar(e, "SELECT count(*) FROM clv_summaries"), "the stale summaries are dropped");
            double[] after = wholeHistorySummary(e).stream().filter(r -> r[0] == before[0]).findFirst().orElseThrow();
            assertEquals(before[1] + 1, after[1], "the imported purchase counts in the new summary");
            assertEquals(after[3], after[2], "it is the customer's last purchase: recency = T");

            TransactionArchive.archive(e, LocalDate.of(2024, 1, 1), dir.resolve("archive"));
            assertNotEquals(v1, transactionsVersion(e), "an archive (a delete) changes it");
            clv.fitAndScore("bgnbd", TimeUnit.WEEK, 0, 12, 0.01, false);
            assertEquals(scalar(e, "SELECT count(DISTINCT customer_id) FROM transactions WHERE NOT (is_return OR coalesce(amount, 0) < 0)"),
                    wholeHistorySummary(e).size(), "the summary covers only the customers left");

            try (Connection c = e.connect(); Statement st = c.createStatement()) {
                String v2 = DataVersion.transactions(c);
                st.execute("DELETE FROM transactions WHERE id = (SELECT max(id) FROM transactions)");
                assertNotEquals(v2, DataVersion.transactions(c), "a delete of the newest row changes it");
            }
        }
    }

    /**
     * Rows of the summary {@code summaryId}'s kept repeat days that differ from the definition (purchase days, lines that are no
     * return with an amount &gt;= 0, up to {@code end}, after the first purchase day of each customer the summary holds: one
     * whose first line that is no return, amount or not, is on or before {@code calibrationEnd}), either way.
     */
    private static long repeatDaysDifferingFromTheDefinition(Engine e, long summaryId, LocalDate calibrationEnd, LocalDate end)
            throws SQLException {
        String summarised = "SELECT customer_id, min(date) AS first_date FROM transactions WHERE customer_id IS NOT NULL"
                + " AND NOT (is_return OR coalesce(amount, 0) < 0) GROUP BY customer_id HAVING min(date) <= DATE '" + calibrationEnd + "'";
        String definition = "SELECT d.date, count(*) AS n FROM (SELECT DISTINCT customer_id, date FROM transactions WHERE date <= DATE '" + end
                + "' AND NOT (is_return OR amount < 0)) d JOIN (" + summarised + ") r ON r.customer_id = d.customer_id"
                + " WHERE d.date > r.first_date GROUP BY d.date";
        String kept = "SELECT date, repeat_days AS n FROM clv_summary_days WHERE summary_id = " + summaryId;
        return scalar(e, "SELECT (SELECT count(*) FROM (" + definition + " EXCEPT ALL " + kept + "))"
                + " + (SELECT count(*) FROM (" + kept + " EXCEPT ALL " + definition + "))");
    }

    @Test
    void theKeptRepeatDaysFollowTheirDefinitionWithAndWithoutAHoldoutAndWithPurchaseLinesLackingAnAmount() throws Exception {
        try (Engine e = generated()) {
            ClvService clv = ClvService.on(e);
            clv.fit("bgnbd", RfmSummary.Options.wholeHistory(), 0, true);
            long whole = scalar(e, "SELECT max(id) FROM clv_summaries");
            assertEquals(0, repeatDaysDifferingFromTheDefinition(e, whole, LAST_DAY, LAST_DAY));
            assertNotEquals(0, scalar(e, "SELECT count(*) FROM clv_summary_days WHERE summary_id = " + whole));

            // A summary first built without diagnostics: the next fit's diagnostics count its repeat days themselves.
            RfmSummary.Options daily = new RfmSummary.Options(null, null, TimeUnit.DAY, null);
            clv.fit("bgnbd", daily, 0, false);
            clv.fit("bgnbd", daily, 0, true);
            assertEquals(0, repeatDaysDifferingFromTheDefinition(e, scalar(e, "SELECT max(id) FROM clv_summaries"), LAST_DAY, LAST_DAY));

            LocalDate calibrationEnd = LocalDate.of(2025, 6, 30);
            clv.fit("bgnbd", new RfmSummary.Options(calibrationEnd, LAST_DAY, TimeUnit.WEEK, null), 0, true);
            assertEquals(0, repeatDaysDifferingFromTheDefinition(e, scalar(e, "SELECT max(id) FROM clv_summaries"), calibrationEnd, LAST_DAY),
                    "with a holdout, customers whose first purchase is in it are not summarised");

            // A line without an amount makes a purchase day for the summary (here a customer's new first day) but not for tracking.
            try (Connection c = e.connect(); Statement st = c.createStatement()) {
                st.execute("INSERT INTO transactions (id, customer_id, date, amount, is_return, batch_id)"
                        + " SELECT (SELECT max(id) + 1 FROM transactions), customer_id, min(date) - 3, NULL, false, 0 FROM transactions"
                        + " WHERE customer_id = (SELECT min(customer_id) FROM transactions) GROUP BY customer_id");
            }
            clv.fit("bgnbd", RfmSummary.Options.wholeHistory(), 0, true);
            assertEquals(0, repeatDaysDifferingFromTheDefinition(e, scalar(e, "SELECT max(id) FROM clv_summaries"), LAST_DAY, LAST_DAY));
        }
    }

    private static String scalarText(Engine e, String sql) throws SQLException {
        try (Connection c = e.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
