package io.clvanalytics.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.testdata.SharedData;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The purchase models on UCI Online Retail (2010-12 to 2011-12), a year of a shop with almost no
 * measurable drop-out, as a user meets it on the command line: boundary fits named and explained,
 * model choice, retention that does not trust a P(alive) of 1, fit failures with their own exit code.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ModelsOnRealDataTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static String db;

    @BeforeAll
    static void importOnlineRetail() {
        Path file = SharedData.file("online_retail/online_retail.csv.gz");
        db = dir.resolve("retail.duckdb").toString();
        CliRun run = CliRun.of("import", "--db", db, "--on-error", "skip", "--currency", "GBP", "--rejects",
                dir.resolve("rejects.csv").toString(), file.toString());
        assertEquals(0, run.exitCode(), run.err());
    }

    @Test
    @Order(1)
    void paretoNbdEndsOnTheDropoutBoundaryNamingSAndWhatItMeans() throws Exception {
        // One Pareto/NBD fit (the slow one here: its optimizer walks the flat ridge towards s = 0 first).
        CliRun json = CliRun.of("fit", "--db", db, "--model", "pnbd", "--no-diagnostics", "--json");
        assertEquals(0, json.exitCode(), json.err());
        assertFalse(json.out().contains("parameter r unidentified"), json.out());
        JsonNode fit = JSON.readTree(json.out());
        assertTrue(fit.path("warning").asText().startsWith("no measurable drop-out in this data: s -> 0, the model reduces to NBD;"
                + " P(alive) ~ 1"), json.out());
        assertEquals("s", fit.path("boundary").path("parameter").asText());
        assertEquals("beta", fit.path("boundary").path("unidentified").path(0).asText());
        assertTrue(fit.path("boundary").path("likelihood_ratio_vs_nbd").asDouble() < 2.71);
        JsonNode r = fit.path("parameters").path("r");
        assertTrue(r.path("lower_95").asDouble() < r.path("value").asDouble() && r.path("value").asDouble() < r.path("upper_95").asDouble());
        assertEquals(0.0, fit.path("parameters").path("s").path("value").asDouble());
        assertTrue(fit.path("parameters").path("beta").path("value").isNull());
        try (Engine e = Engine.open(Path.of(db)); Connection c = e.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT dropout_boundary, warning FROM model_runs WHERE id = " + fit.path("run_id").asLong())) {
            assertTrue(rs.next());
            assertEquals("s", rs.getString(1));
            assertTrue(rs.getString(2).contains("no measurable drop-out"));
        }
    }

    @Test
    @Order(2)
    void bgNbdsTinyAIsTheSameBoundaryNotASilentFit() throws Exception {
        CliRun text = CliRun.of("fit", "--db", db, "--model", "bgnbd", "--no-diagnostics");
        assertEquals(0, text.exitCode(), text.out() + text.err());
        assertTrue(text.out().contains("WARNING: no measurable drop-out in this data: a -> 0, the model reduces to NBD"), text.out());
        assertTrue(text.out().matches("(?s).*\\ba\\s+0 \\(boundary\\).*"), text.out());
        assertTrue(text.out().matches("(?s).*\\bb\\s+not identified.*"), text.out());
        CliRun json = CliRun.of("fit", "--db", db, "--model", "bgnbd", "--no-diagnostics", "--json");
        JsonNode fit = JSON.readTree(json.out());
        assertEquals("a", fit.path("boundary").path("parameter").asText());
    }

    @Test
    @Order(3)
    void autoChoosesByHoldoutErrorAndScoreAndRetentionFollowWithoutContradictions() throws Exception {
        CliRun auto = CliRun.of("fit", "--db", db, "--model", "auto", "--no-diagnostics", "--json");
        assertEquals(0, auto.exitCode(), auto.err());
        JsonNode a = JSON.readTree(auto.out());
        assertEquals("holdout_mae", a.path("selection_measure").asText());
        assertEquals(3, a.path("candidates").size());
        String chosen = a.path("chosen").path("model").asText();
        assertTrue(a.path("reason").asText().startsWith(chosen + ": lowest mean absolute error"), a.path("reason").asText());
        assertTrue(a.path("reason").asText().contains("no model identifies drop-out"), a.path("reason").asText());
        // The default split: the last third of 2010-12-01 .. 2011-12-09 held out.
        assertEquals("2011-08-06", a.path("candidates").path(0).path("run").path("calibration_end").asText());

        CliRun score = CliRun.of("score", "--db", db, "--json");
        assertEquals(0, score.exitCode(), score.err());
        JsonNode s = JSON.readTree(score.out());
        assertEquals(chosen, s.path("model").asText());
        assertEquals(a.path("chosen").path("run_id").asLong(), s.path("runId").asLong());
        assertTrue(s.path("warning").asText().contains("no measurable drop-out"), score.out());

        CliRun retention = CliRun.of("retention", "--db", db);
        assertEquals(0, retention.exitCode(), retention.err());
        assertTrue(retention.out().contains("NOTE: model run " + s.path("runId").asLong()), retention.out());
        assertTrue(retention.out().contains("recency against each customer's own purchase rhythm"), retention.out());
        try (Engine e = Engine.open(Path.of(db)); Connection c = e.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE status = 'churned'),"
                     + " count(*) FILTER (WHERE status = 'churned' AND risk_level = 'low'),"
                     + " count(*) FILTER (WHERE churn_source = 'model')"
                     + " FROM retention_scores WHERE retention_run_id = (SELECT max(id) FROM retention_runs)")) {
            assertTrue(rs.next());
            assertTrue(rs.getLong(1) > 500, "Online Retail has hundreds of customers silent for 180 days: " + rs.getLong(1));
            assertEquals(0, rs.getLong(2), "no customer is both churned and at low risk");
            assertEquals(0, rs.getLong(3), "P(alive) of a fit without drop-out is not used as churn");
        }
    }

    @Test
    @Order(4)
    void aCalibrationEndAfterTheLastPurchaseIsRefused() {
        CliRun run = CliRun.of("fit", "--db", db, "--calibration-end", "2012-01-31");
        assertEquals(2, run.exitCode(), run.out());
        assertTrue(run.err().contains("--calibration-end: 2012-01-31 is after the last purchase in the store (2011-12-09)"), run.err());
    }

    @Test
    void aModelThatCannotBeFittedExitsWithItsOwnCodeAndAJsonReason(@TempDir Path own) throws Exception {
        String oneDay = own.resolve("one-day.duckdb").toString();
        Path csv = own.resolve("one-day.csv");
        java.nio.file.Files.writeString(csv, "customer_id,date,amount\nA,2024-03-01,10\nB,2024-03-01,12\nC,2024-03-01,7\n");
        assertEquals(0, CliRun.of("import", "--db", oneDay, csv.toString()).exitCode());
        CliRun text = CliRun.of("fit", "--db", oneDay, "--model", "bgnbd");
        assertEquals(ClvCli.EXIT_FIT_FAILED, text.exitCode());
        assertTrue(text.err().contains("bgnbd fit impossible"), text.err());
        assertFalse(text.err().contains("internal error"), text.err());
        CliRun json = CliRun.of("fit", "--db", oneDay, "--model", "pnbd", "--json");
        assertEquals(4, json.exitCode());
        JsonNode error = JSON.readTree(json.out());
        assertEquals("fit_failed", error.path("error").asText());
        assertTrue(error.path("reason").asText().contains("T = 0"), json.out());
    }

    @Test
    void aDatesOnlyPurchaseLogFitsThePurchaseModelsAndSaysItHasNoAmounts(@TempDir Path own) throws Exception {
        Path generated = own.resolve("generated.duckdb");
        assertEquals(0, CliRun.of("generate", "--db", generated.toString(), "--customers", "3000", "--seed", "11").exitCode());
        Path log = own.resolve("purchase-log.csv");
        try (Engine e = Engine.open(generated); Connection c = e.connect(); Statement st = c.createStatement()) {
            // A purchase log as event systems and BTYD research data have it: customer and date, no amount.
            st.execute("COPY (SELECT c.source_id AS customer_id, t.date FROM transactions t JOIN customers c ON c.id = t.customer_id"
                    + " WHERE NOT t.is_return ORDER BY t.id) TO '" + log + "' (HEADER)");
        }
        Path file = own.resolve("dates-only.duckdb");
        CliRun imported = CliRun.of("import", "--db", file.toString(), log.toString());
        assertEquals(0, imported.exitCode(), imported.out() + imported.err());
        String store = file.toString();
        for (String model : new String[] {"bgnbd", "pnbd"}) {
            CliRun fit = CliRun.of("fit", "--db", store, "--model", model, "--json");
            assertEquals(0, fit.exitCode(), model + ": " + fit.out() + fit.err());
            assertTrue(JSON.readTree(fit.out()).path("parameters").path("r").path("value").asDouble() > 0, fit.out());
        }
        CliRun gg = CliRun.of("fit", "--db", store, "--model", "gg");
        assertEquals(4, gg.exitCode());
        assertTrue(gg.err().contains("the store has no amounts"), gg.err());
        CliRun score = CliRun.of("score", "--db", store, "--model", "pnbd", "--json");
        assertEquals(0, score.exitCode(), score.err());
        JsonNode s = JSON.readTree(score.out());
        assertTrue(s.path("warning").asText().contains("the store has no amounts"), score.out());
        assertTrue(s.path("spendRunId").isNull(), "no spend model without amounts: " + score.out());
        try (Engine e = Engine.open(file); Connection c = e.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), count(clv), count(expected_spend), count(historic_clv),"
                     + " count(*) FILTER (WHERE p_alive BETWEEN 0 AND 1 AND expected_purchases >= 0) FROM customer_scores")) {
            assertTrue(rs.next());
            assertTrue(rs.getLong(1) > 2000, "customers scored: " + rs.getLong(1));
            assertEquals(0, rs.getLong(2), "no CLV without amounts");
            assertEquals(0, rs.getLong(3));
            assertEquals(0, rs.getLong(4));
            assertEquals(rs.getLong(1), rs.getLong(5));
        }
    }
}
