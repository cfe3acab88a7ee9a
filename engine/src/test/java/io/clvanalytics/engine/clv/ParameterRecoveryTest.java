package io.clvanalytics.engine.clv;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.generate.DemoDataGenerator;
import io.clvanalytics.engine.generate.GeneratorConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On 100,000 customers drawn by {@code clv generate} from a pure BG/NBD + Gamma-Gamma process
 * (no seasonality, no returns, one line per order), the generator's true parameters — read back
 * from {@code store_meta['generator']} — fall inside the fitted 95 % intervals. The summary counts
 * orders at their exact timestamps ({@link RfmSummary.Timing#TIMESTAMP}): the generator writes each
 * order's simulated instant to {@code ts}, so the data are exactly the simulated process (in whole
 * days recency and T are rounded by up to a day, which biased α by about 2 standard errors).
 */
class ParameterRecoveryTest {

    @TempDir
    Path dir;

    @Test
    void theGeneratorsTrueParametersFallInsideTheFitted95PercentIntervals() throws Exception {
        try (Engine engine = Engine.open(dir.resolve("gen.duckdb"))) {
            GeneratorConfig cfg = GeneratorConfig.defaults(100_000, 7L)
                    .withSeasonality(0).withReturnRate(0).withLinesPerOrder(1).withProducts(50);
            DemoDataGenerator.generate(engine, cfg, DemoDataGenerator.ProgressListener.NONE);
            JsonNode truth;
            try (Connection c = engine.connect();
                 ResultSet rs = c.createStatement().executeQuery("SELECT value FROM store_meta WHERE key = 'generator'")) {
                rs.next();
                truth = new ObjectMapper().readTree(rs.getString(1));
            }
            ClvService service = ClvService.on(engine);
            RfmSummary.Options exact = new RfmSummary.Options(null, null, TimeUnit.WEEK, null, RfmSummary.Timing.TIMESTAMP);
            FitResult bg = service.fit("bgnbd", exact, 0, false).fit();
            FitResult gg = service.fit("gg", exact, 0, false).fit();
            for (String name : List.of("r", "alpha", "a", "b")) {
                assertInside(bg, name, truth.path("bgnbd").path(name).asDouble());
            }
            for (String name : List.of("p", "q", "gamma")) {
                assertInside(gg, name, truth.path("gammagamma").path(name).asDouble());
            }
        }
    }

    private static void assertInside(FitResult fit, String name, double truth) {
        FitResult.Parameter p = fit.parameter(name);
        assertTrue(truth > 0, "truth of " + name + " missing");
        assertTrue(p.lower95() <= truth && truth <= p.upper95(),
                fit.model() + " " + name + ": true " + truth + " outside [" + p.lower95() + ", " + p.upper95() + "] (estimate " + p.value() + ")");
    }
}
