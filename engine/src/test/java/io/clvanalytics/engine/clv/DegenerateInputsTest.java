package io.clvanalytics.engine.clv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.clvanalytics.engine.CalculationException;
import io.clvanalytics.engine.Engine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Degenerate stores give sensible numbers or a CalculationException with a reason, never NaN. */
class DegenerateInputsTest {

    @TempDir
    Path dir;

    /** A store whose transactions come from {@code select} (customer_id, date, amount). */
    private Engine store(String name, String select) {
        Engine engine = Engine.open(dir.resolve(name + ".duckdb"));
        engine.inTransaction(c -> {
            c.createStatement().execute("INSERT INTO transactions(id, customer_id, date, amount, batch_id)"
                    + " SELECT row_number() OVER (), customer_id, date, amount, 1 FROM (" + select + ")");
            c.createStatement().execute("INSERT INTO customers(id, source_id) SELECT DISTINCT customer_id, customer_id::VARCHAR FROM transactions");
            return null;
        });
        return engine;
    }

    /** Every model either fits with finite parameters, intervals and log-likelihood, or refuses with a reason. */
    private static void fitsOrRefuses(Engine engine) {
        for (String model : List.of("bgnbd", "pnbd", "mbgnbd", "gg")) {
            try {
                FitResult fit = ClvService.on(engine).fit(model, RfmSummary.Options.wholeHistory(), 0, false).fit();
                assertTrue(Double.isFinite(fit.logLikelihood()), model);
                if (fit.boundary() != null) {
                    // No measurable drop-out: the drop-out parameter at 0, its partner unidentified, r and alpha finite.
                    assertEquals(0, fit.value(fit.boundary().parameter()), model);
                    assertTrue(Double.isNaN(fit.value(fit.boundary().unidentified().get(0))), model);
                    assertTrue(fit.boundary().meaning().contains("no measurable drop-out"), model);
                }
                for (FitResult.Parameter p : fit.parameters()) {
                    if (fit.boundary() != null && !List.of("r", "alpha").contains(p.name())) {
                        continue;
                    }
                    assertTrue(p.value() > 0 && Double.isFinite(p.value()) && Double.isFinite(p.lower95())
                            && Double.isFinite(p.upper95()) && Double.isFinite(p.standardError()), model + " " + p);
                }
            } catch (CalculationException e) {
                assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), model);
            }
        }
    }

    /** Scoring either writes finite scores for everyone or refuses with a reason and writes nothing. */
    private static void scoresOrRefuses(Engine engine) throws Exception {
        try {
            ClvService.ScoreReport r = ClvService.on(engine).score("bgnbd", 12, 0.01);
            assertTrue(Double.isFinite(r.totalClv()) && Double.isFinite(r.meanProbabilityAlive()), r.toString());
        } catch (CalculationException e) {
            try (Connection c = engine.connect(); ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM customer_scores")) {
                rs.next();
                assertEquals(0, rs.getLong(1), "a refused scoring wrote scores");
            }
            return;
        }
        try (Connection c = engine.connect(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT count(*) FILTER (WHERE isnan(clv) OR isnan(p_alive) OR isnan(expected_purchases) OR isnan(expected_spend)"
                        + " OR isnan(historic_clv) OR clv IS NULL) FROM customer_scores")) {
            rs.next();
            assertEquals(0, rs.getLong(1));
        }
    }

    @Test
    void oneCustomer() throws Exception {
        try (Engine engine = store("one", "SELECT 1 AS customer_id, DATE '2024-01-01' + INTERVAL (i * 9) DAY AS date, 20.0 + i AS amount"
                + " FROM range(8) t(i)")) {
            fitsOrRefuses(engine);
            scoresOrRefuses(engine);
        }
    }

    @Test
    void nobodyRepeats() throws Exception {
        try (Engine engine = store("norepeat", "SELECT i AS customer_id, DATE '2024-01-01' + INTERVAL (i % 300) DAY AS date, 10.0 AS amount"
                + " FROM range(1, 2001) t(i)")) {
            fitsOrRefuses(engine);
            try {
                ClvService.on(engine).fit("gg", RfmSummary.Options.wholeHistory(), 0, false);
                fail("Gamma-Gamma cannot fit without repeat purchases");
            } catch (CalculationException e) {
                assertTrue(e.getMessage().contains("no customer made a repeat purchase"), e.getMessage());
            }
            scoresOrRefuses(engine);
        }
    }

    @Test
    void everybodyRepeatsDaily() throws Exception {
        try (Engine engine = store("daily", "SELECT c AS customer_id, DATE '2024-01-01' + INTERVAL (d) DAY AS date, 5.0 + c % 7 AS amount"
                + " FROM range(1, 201) s(c), range(0, 120) t(d)")) {
            fitsOrRefuses(engine);
            scoresOrRefuses(engine);
        }
    }

    @Test
    void zeroSpend() throws Exception {
        try (Engine engine = store("zero", "SELECT c AS customer_id, DATE '2024-01-01' + INTERVAL (c % 50 + d * (1 + c % 13)) DAY AS date,"
                + " 0.0 AS amount FROM range(1, 301) s(c), range(0, 1 + c % 5) t(d)")) {
            fitsOrRefuses(engine);
            scoresOrRefuses(engine);
        }
    }

    @Test
    void aSingleDayOfData() throws Exception {
        try (Engine engine = store("oneday", "SELECT i AS customer_id, DATE '2024-03-01' AS date, 12.5 AS amount FROM range(1, 501) t(i)")) {
            fitsOrRefuses(engine);
            scoresOrRefuses(engine);
        }
    }
}
