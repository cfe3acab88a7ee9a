package io.clvanalytics.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clvanalytics.engine.Engine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clv score --refit} gives, to 1e-9 relative, the results the command gave on 2026-12-05 before the
 * speed work of issue 19 (stored summaries, the diagnostics' cheaper tracking and appended rows), on a
 * generated store: parameters, log-likelihoods, totals, sample customers' scores and the diagnostics. Run
 * twice, so the second run's summary comes from the stored one.
 */
class ScoreRefitResultsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double TOLERANCE = 1e-9;

    @TempDir
    Path dir;

    /** Recorded with the command as it was before the change (commit fd0bee4), same generator arguments. */
    private static final Map<String, Double> FIT = Map.of("r", 0.25071300760968435, "alpha", 3.926391633011932,
            "a", 0.8558346194638695, "b", 2.6103282578792397);
    private static final Map<String, Double> FIT_SE = Map.of("r", 0.006132837931992346, "alpha", 0.1785071255236143,
            "a", 0.05602810080043143, "b", 0.24441184255536755);
    private static final Map<String, Double> SPEND = Map.of("p", 5.745685416521316, "q", 3.9659614698732493,
            "gamma", 15.589130162181485);
    /** customer id → P(alive), expected purchases, expected spend, CLV, historic CLV, P(0 purchases), P(3 or more). */
    private static final Map<Long, double[]> SCORES = Map.of(
            1L, new double[] {5.392932356176291E-5, 1.0343155515436732E-4, 25.815716683456806, 0.0025074260060913393,
                1.6593955892389924, 0.9999543402214751, 1.59500178550514E-5},
            17L, new double[] {0.13502155534022786, 0.03278573846085898, 26.631678525331154, 0.8195999796634145,
                0.21355054690778383, 0.9722034734177817, 6.470993099220525E-4},
            250L, new double[] {0.5016118760644432, 0.10997180804902427, 53.13861801694785, 5.4849999070125115,
                0.509283697513898, 0.9053449742626709, 0.001846012766874835},
            999L, new double[] {9.844637774712969E-4, 4.841443629782789E-4, 21.233998607637286, 0.009652523649426889,
                0.3083336674739673, 0.999632288875539, 2.0402769663064268E-5},
            3333L, new double[] {1.0, 0.5959763175269193, 30.199393599312852, 16.97430625775892, 2.9088714427611913,
                0.6947785301578736, 0.06566899699252482},
            4999L, new double[] {0.686574198465553, 0.8437178969527669, 28.325732205861584, 22.46096916272484,
                1.527911346874471, 0.5329053527829308, 0.09465216427002142});

    private static void close(double expected, double actual, String what) {
        double scale = Math.max(Math.abs(expected), Math.abs(actual));
        assertEquals(0, scale == 0 ? 0 : Math.abs(expected - actual) / scale, TOLERANCE,
                what + ": expected " + expected + ", got " + actual);
    }

    @Test
    void refitGivesTodaysParametersScoresAndDiagnosticsAgainAndAgain() throws Exception {
        String db = dir.resolve("gold.duckdb").toString();
        assertEquals(0, CliRun.of("generate", "--db", db, "--customers", "5000", "--seed", "11", "--end", "2026-11-30").exitCode());
        for (int round = 1; round <= 2; round++) {
            CliRun run = CliRun.of("score", "--db", db, "--refit", "--json");
            assertEquals(0, run.exitCode(), run.err());
            JsonNode json = JSON.readTree(run.out());
            JsonNode fit = json.path("fit");
            close(-58729.62775929767, fit.path("log_likelihood").asDouble(), "BG/NBD log-likelihood");
            FIT.forEach((p, v) -> close(v, fit.path("parameters").path(p).path("value").asDouble(), p));
            FIT_SE.forEach((p, v) -> close(v, fit.path("parameters").path(p).path("standard_error").asDouble(), p + " standard error"));
            JsonNode spend = json.path("spend_fit");
            close(-12227.233191594414, spend.path("log_likelihood").asDouble(), "Gamma-Gamma log-likelihood");
            SPEND.forEach((p, v) -> close(v, spend.path("parameters").path(p).path("value").asDouble(), p));
            JsonNode score = json.path("score");
            assertEquals(5000, score.path("customers").asLong());
            close(69454.33524395843, score.path("totalClv").asDouble(), "total CLV");
            close(7570.278965131172, score.path("totalHistoricClv").asDouble(), "total historic CLV");
            close(2349.4905086140598, score.path("expectedPurchases").asDouble(), "expected purchases");
            close(0.6160397218506629, score.path("meanProbabilityAlive").asDouble(), "mean P(alive)");
            long runId = fit.path("run_id").asLong();
            try (Engine e = Engine.open(Path.of(db)); Connection c = e.connect(); Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT customer_id, p_alive, expected_purchases, expected_spend, clv, historic_clv,"
                        + " p_purchases_0, p_purchases_3_plus FROM customer_scores WHERE run_id = " + runId
                        + " AND customer_id IN (1, 17, 250, 999, 3333, 4999)")) {
                    int n = 0;
                    while (rs.next()) {
                        double[] want = SCORES.get(rs.getLong(1));
                        for (int k = 0; k < want.length; k++) {
                            close(want[k], rs.getDouble(k + 2), "customer " + rs.getLong(1) + " column " + (k + 2));
                        }
                        n++;
                    }
                    assertEquals(SCORES.size(), n);
                }
                try (ResultSet rs = st.executeQuery("SELECT (SELECT sum(expected) FROM model_run_tracking WHERE run_id = " + runId + "),"
                        + " (SELECT sum(actual) FROM model_run_tracking WHERE run_id = " + runId + "),"
                        + " (SELECT sum(expected_customers) FROM model_run_frequency_histogram WHERE run_id = " + runId + "),"
                        + " (SELECT sum(expected_purchases) FROM model_run_frequency_recency WHERE run_id = " + runId + "),"
                        + " (SELECT sum(p_alive) FROM model_run_frequency_recency WHERE run_id = " + runId + ")")) {
                    rs.next();
                    close(15048.081375596199, rs.getDouble(1), "tracking expected");
                    close(15129.0, rs.getDouble(2), "tracking actual");
                    close(5000.000000000001, rs.getDouble(3), "histogram expected");
                    close(15.5846171995388, rs.getDouble(4), "frequency-recency expected purchases");
                    close(311.1978789239048, rs.getDouble(5), "frequency-recency P(alive)");
                }
            }
        }
    }
}
