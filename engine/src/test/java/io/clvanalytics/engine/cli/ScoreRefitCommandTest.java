package io.clvanalytics.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clvanalytics.engine.Engine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clv score --refit}: both fits and the scores in one command, with the JSON of fit and score together. */
class ScoreRefitCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void refitFitsBothModelsWritesScoresAndPrintsFitAndScoreAsOneJson() throws Exception {
        String db = dir.resolve("gen.duckdb").toString();
        assertEquals(0, CliRun.of("generate", "--db", db, "--customers", "3000", "--seed", "5").exitCode());

        CliRun run = CliRun.of("score", "--db", db, "--refit", "--model", "pnbd", "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = JSON.readTree(run.out());
        long fitRun = json.path("fit").path("run_id").asLong();
        assertEquals("pnbd", json.path("fit").path("model").asText());
        assertEquals("gg", json.path("spend_fit").path("model").asText());
        assertEquals(fitRun, json.path("score").path("runId").asLong());
        assertEquals(json.path("spend_fit").path("run_id").asLong(), json.path("score").path("spendRunId").asLong());
        assertTrue(json.path("fit").path("parameters").path("s").path("value").asDouble() > 0, run.out());

        CliRun lean = CliRun.of("score", "--db", db, "--refit", "--no-diagnostics", "--json");
        assertEquals(0, lean.exitCode(), lean.err());
        long leanRun = JSON.readTree(lean.out()).path("fit").path("run_id").asLong();
        try (Engine e = Engine.open(Path.of(db)); Connection c = e.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM model_run_tracking WHERE run_id = " + fitRun + "),"
                     + " (SELECT count(*) FROM model_run_tracking WHERE run_id = " + leanRun + "),"
                     + " (SELECT count(*) FROM customer_scores WHERE run_id = " + fitRun + "),"
                     + " (SELECT count(*) FROM customer_scores WHERE run_id = " + leanRun + "), (SELECT count(*) FROM model_runs)")) {
            rs.next();
            assertTrue(rs.getLong(1) > 0, "diagnostics by default");
            assertEquals(0, rs.getLong(2), "--no-diagnostics");
            assertTrue(rs.getLong(3) > 2000 && rs.getLong(3) == rs.getLong(4), "every customer scored by both runs");
            assertEquals(4, rs.getLong(5), "two purchase runs and two Gamma-Gamma runs");
        }
    }
}
