package io.clvanalytics.engine.clv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.cli.ClvCli;
import io.clvanalytics.engine.testdata.SharedData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The full CDNOW cohort (23,570 customers, CDNOW_master.txt) with the published split (calibration
 * to 1997-09-30, holdout to 1998-06-30, weeks): every purchase model fits, the JSON compares the
 * expected with the actual holdout purchases, and scoring predicts for every customer.
 */
class FullCohortTest {

    @TempDir
    Path dir;

    @Test
    void everyPurchaseModelFitsTheFullCohortAndComparesItsHoldoutForecastWithTheActualPurchases() throws Exception {
        Path db = dir.resolve("master.duckdb");
        try (Engine engine = Engine.open(db)) {
            Cdnow.loadMaster(engine, SharedData.file("cdnow/CDNOW_master.txt"));
        }
        long actual = -1;
        for (String model : new String[] {"bgnbd", "pnbd", "mbgnbd"}) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = ClvCli.run(new String[] {"fit", "--db", db.toString(), "--model", model, "--calibration-end", "1997-09-30",
                    "--holdout-end", "1998-06-30", "--json"}, new PrintWriter(out), new PrintWriter(err));
            assertEquals(0, code, err.toString());
            JsonNode json = new ObjectMapper().readTree(out.toString());
            assertEquals(23_570, json.path("customers").asLong());
            JsonNode holdout = json.path("holdout");
            double expected = holdout.path("expected_purchases").asDouble();
            long thisActual = holdout.path("actual_purchases").asLong();
            if (actual >= 0) {
                assertEquals(actual, thisActual, "the actual holdout purchases do not depend on the model");
            }
            actual = thisActual;
            assertTrue(actual > 10_000 && Math.abs(expected / actual - 1) < 0.25, model + ": expected " + expected + ", actual " + actual);
        }
        StringWriter out = new StringWriter();
        assertEquals(0, ClvCli.run(new String[] {"score", "--db", db.toString(), "--model", "pnbd", "--json"},
                new PrintWriter(out), new PrintWriter(new StringWriter())));
        try (Engine engine = Engine.open(db); Connection c = engine.connect();
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*), count(*) FILTER (WHERE clv >= 0 AND p_alive BETWEEN 0 AND 1)"
                     + " FROM customer_scores")) {
            rs.next();
            assertEquals(23_570, rs.getLong(1));
            assertEquals(23_570, rs.getLong(2));
        }
    }
}
