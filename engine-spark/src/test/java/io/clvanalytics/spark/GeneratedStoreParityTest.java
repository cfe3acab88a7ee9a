package io.clvanalytics.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.generate.DemoDataGenerator;
import io.clvanalytics.engine.generate.GeneratorConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated store (the engine's demo generator: orders of several lines, 3 % returns, timestamps)
 * on both paths: the whole-history pipeline ({@code clv score --refit}) and calibration/holdout fits
 * with each summary rule the Spark SQL restates (returns netted, purchases per order, purchases at
 * their timestamps), each followed by a scoring; parameters agree to 1e-6 and every customer's
 * scores to 1e-9 relative.
 */
class GeneratedStoreParityTest {

    static final int CUSTOMERS = 2_000;

    @TempDir
    static Path dir;
    static Path store;
    static Path parquet;

    @BeforeAll
    static void generate() throws Exception {
        store = dir.resolve("generated.duckdb");
        try (Engine engine = Engine.open(store, Stores.CLOCK)) {
            DemoDataGenerator.generate(engine, GeneratorConfig.defaults(CUSTOMERS, 11), DemoDataGenerator.ProgressListener.NONE);
            parquet = Stores.exportParquet(engine, dir.resolve("generated.parquet"));
        }
    }

    @Test
    void theWholeHistoryPipelineFitsAndScoresAsClvScoreRefit() throws Exception {
        JsonNode duck = Stores.clv(store, "score", "--refit", "--model", "bgnbd", "--no-diagnostics");
        Path out = dir.resolve("refit");
        Stores.JobRun run = Stores.spark("--input", parquet.toString(), "--output", out.toString(), "--model", "bgnbd");
        assertEquals(0, run.code(), run.err());
        JsonNode spark = run.json();
        Stores.assertSameParameters(duck.path("fit"), spark.path("fit"), 1e-6);
        Stores.assertSameParameters(duck.path("spend_fit"), spark.path("spend_fit"), 1e-6);
        assertScoresAgree(duck.path("score"), spark.path("score"), out);
    }

    @Test
    void fitsWithNettedReturnsAndOrdersAsPurchasesMatchOnACalibrationHoldoutSplit() throws Exception {
        splitRun("split-net-order", "--returns", "net", "--purchases", "order");
    }

    @Test
    void fitsWithPurchasesAtTheirTimestampsMatchOnACalibrationHoldoutSplit() throws Exception {
        splitRun("split-timestamp", "--purchases", "timestamp");
    }

    private static void splitRun(String name, String... rules) throws Exception {
        String[] split = CdnowParityTest.concat(new String[] {"--calibration-end", "2024-12-31", "--holdout-end", "2025-12-31"}, rules);
        JsonNode duckFit = Stores.clv(store, CdnowParityTest.concat(new String[] {"fit", "--model", "bgnbd", "--no-diagnostics"}, split));
        JsonNode duckSpend = Stores.clv(store, CdnowParityTest.concat(new String[] {"fit", "--model", "gg"}, split));
        JsonNode duckScore = Stores.clv(store, "score", "--model", "bgnbd");
        Path out = dir.resolve(name);
        Stores.JobRun run = Stores.spark(CdnowParityTest.concat(new String[] {"--input", parquet.toString(), "--output", out.toString()}, split));
        assertEquals(0, run.code(), run.err());
        JsonNode spark = run.json();
        Stores.assertSameParameters(duckFit, spark.path("fit"), 1e-6);
        Stores.assertSameParameters(duckSpend, spark.path("spend_fit"), 1e-6);
        assertEquals(duckFit.path("holdout").path("customers").asLong(), spark.path("fit").path("holdout").path("customers").asLong());
        Stores.assertClose(duckFit.path("holdout").path("actual_purchases").asDouble(),
                spark.path("fit").path("holdout").path("actual_purchases").asDouble(), 1e-12, "holdout purchases");
        Stores.assertClose(duckSpend.path("holdout").path("actual_mean_spend").asDouble(),
                spark.path("spend_fit").path("holdout").path("actual_mean_spend").asDouble(), 1e-9, "holdout mean spend");
        assertScoresAgree(duckScore, spark.path("score"), out);
    }

    private static void assertScoresAgree(JsonNode duck, JsonNode spark, Path out) throws Exception {
        assertEquals(duck.path("customers").asLong(), spark.path("customers").asLong());
        for (String field : new String[] {"totalClv", "totalHistoricClv", "expectedPurchases", "meanProbabilityAlive", "monthlyChurn"}) {
            Stores.assertClose(duck.path(field).asDouble(), spark.path(field).asDouble(), 1e-9, "score " + field);
        }
        try (Engine engine = Engine.open(store, Stores.CLOCK)) {
            Stores.Agreement a = Stores.compare(engine, duck.path("runId").asLong(), out, 1e-9);
            assertEquals(a.duckCustomers(), a.sparkCustomers());
            assertEquals(a.duckCustomers(), a.matched(), "customers scored on both paths");
            assertEquals(0, a.beyondTolerance(), "customers whose scores differ by more than 1e-9 relative (largest " + a.maxRelative() + ")");
        }
    }
}
