package io.clvanalytics.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.clvanalytics.engine.Engine;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The full CDNOW cohort (CDNOW_master.txt, 23,570 customers) on both paths with the published split
 * (calibration to 1997-09-30, holdout to 1998-06-30, weeks): DuckDB through {@code clv fit} (the
 * purchase model and Gamma-Gamma) and {@code clv score}, Spark through the job on the same
 * transactions written as Parquet. The fitted parameters agree to 1e-6 relative and every
 * customer's P(alive), expected purchases and CLV to 1e-9 relative.
 */
class CdnowParityTest {

    @TempDir
    static Path dir;
    static Path store;
    static Path parquet;

    @BeforeAll
    static void loadCdnow() throws Exception {
        Path master = Stores.sharedData("cdnow/CDNOW_master.txt");
        store = dir.resolve("cdnow.duckdb");
        try (Engine engine = Engine.open(store, Stores.CLOCK)) {
            Stores.loadCdnowMaster(engine, master);
            parquet = Stores.exportParquet(engine, dir.resolve("cdnow.parquet"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bgnbd", "pnbd", "mbgnbd"})
    void sparkFitsTheSameParametersAndScoresEveryCustomerAsDuckDbOnTheCdnowSplit(String model) throws Exception {
        String[] split = {"--calibration-end", "1997-09-30", "--holdout-end", "1998-06-30", "--time-unit", "week"};
        JsonNode duckFit = Stores.clv(store, concat(new String[] {"fit", "--model", model, "--no-diagnostics"}, split));
        JsonNode duckSpend = Stores.clv(store, concat(new String[] {"fit", "--model", "gg"}, split));
        JsonNode duckScore = Stores.clv(store, "score", "--model", model, "--horizon", "12", "--discount-rate", "0.01");

        Path out = dir.resolve("scores-" + model);
        Stores.JobRun run = Stores.spark(concat(new String[] {"--input", parquet.toString(), "--output", out.toString(), "--model", model,
            "--horizon", "12", "--discount-rate", "0.01"}, split));
        assertEquals(0, run.code(), run.err());
        JsonNode spark = run.json();

        assertEquals(23_570, spark.path("fit").path("customers").asLong());
        Stores.assertSameParameters(duckFit, spark.path("fit"), 1e-6);
        Stores.assertSameParameters(duckSpend, spark.path("spend_fit"), 1e-6);
        for (String field : new String[] {"expected_purchases", "actual_purchases", "mean_absolute_error"}) {
            Stores.assertClose(duckFit.path("holdout").path(field).asDouble(), spark.path("fit").path("holdout").path(field).asDouble(),
                    1e-6, "holdout " + field);
        }
        assertEquals(duckFit.path("holdout").path("customers").asLong(), spark.path("fit").path("holdout").path("customers").asLong());
        for (String field : new String[] {"expected_mean_spend", "actual_mean_spend", "mean_absolute_error"}) {
            Stores.assertClose(duckSpend.path("holdout").path(field).asDouble(),
                    spark.path("spend_fit").path("holdout").path(field).asDouble(), 1e-6, "spend holdout " + field);
        }
        JsonNode score = spark.path("score");
        assertEquals(duckScore.path("customers").asLong(), score.path("customers").asLong());
        assertEquals(duckScore.path("asOf").asText(), score.path("asOf").asText());
        for (String field : new String[] {"totalClv", "totalHistoricClv", "expectedPurchases", "meanProbabilityAlive", "monthlyChurn"}) {
            assertTrue(duckScore.path(field).isNumber(), "clv score --json has " + field);
            Stores.assertClose(duckScore.path(field).asDouble(), score.path(field).asDouble(), 1e-9, "score " + field);
        }

        try (Engine engine = Engine.open(store, Stores.CLOCK)) {
            Stores.Agreement a = Stores.compare(engine, duckScore.path("runId").asLong(), out, 1e-9);
            assertEquals(23_570, a.duckCustomers());
            assertEquals(23_570, a.sparkCustomers());
            assertEquals(23_570, a.matched(), "customers scored on both paths");
            assertEquals(0, a.beyondTolerance(), model + ": customers whose scores differ by more than 1e-9 relative (largest " + a.maxRelative() + ")");
            assertTrue(a.maxRelative() <= 1e-9);
            System.out.printf("CDNOW %s: parameters within 1e-6, 23,570 customers within 1e-9 (largest relative difference %.2e)%n",
                    model, a.maxRelative());
        }
    }

    static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
