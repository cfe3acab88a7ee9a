package io.clvanalytics.engine.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On generated data, where each customer's true dropout is known ({@code generated_customer_truth}),
 * the risk levels must separate customers who really left from those still alive.
 */
class RetentionSenseTest {

    @TempDir
    Path dir;

    @Test
    void withRecencyFallbackHighOrCriticalRiskCustomersTrulyDroppedOutFarMoreOftenThanLowRisk() throws Exception {
        try (Engine engine = Engine.open(dir.resolve("gen.duckdb"))) {
            GeneratedStores.generate(engine, 4000, 42);
            RetentionRun run = RetentionService.of(engine).score(RetentionSettings.defaults());
            assertEquals(0, run.scoredByModel());
            // The fallback cannot know that BG/NBD one-time buyers never drop out (they are only slow),
            // so it separates less sharply than the model; it must still double the dropout share.
            assertSeparates(table(engine, run, "recency fallback"), 2.0, 0.15);
        }
    }

    @Test
    void withBgNbdPAliveHighOrCriticalRiskCustomersTrulyDroppedOutFarMoreOftenThanLowRisk() throws Exception {
        try (Engine engine = Engine.open(dir.resolve("gen-model.duckdb"))) {
            GeneratedStores.generate(engine, 4000, 43);
            GeneratedStores.bgNbdScores(engine);
            RetentionRun run = RetentionService.of(engine).score(RetentionSettings.defaults());
            assertEquals(run.customers(), run.scoredByModel(), "every customer has P(alive) from the model run");
            assertSeparates(table(engine, run, "BG/NBD P(alive)"), 4.0, 0.5);
        }
    }

    /** risk level → {customers, share truly dropped out by the as-of date}; printed as a table. */
    private static Map<String, double[]> table(Engine engine, RetentionRun run, String source) throws Exception {
        Map<String, double[]> table = new LinkedHashMap<>();
        try (Connection c = engine.connect(); PreparedStatement ps = c.prepareStatement("""
                SELECT s.risk_level, count(*),
                       avg(CASE WHEN t.dropout_date IS NOT NULL AND t.dropout_date <= ? THEN 1.0 ELSE 0.0 END)
                FROM retention_scores s JOIN generated_customer_truth t USING (customer_id)
                WHERE s.retention_run_id = ? GROUP BY 1
                ORDER BY CASE s.risk_level WHEN 'low' THEN 1 WHEN 'medium' THEN 2 WHEN 'high' THEN 3 ELSE 4 END""")) {
            ps.setObject(1, run.asOf());
            ps.setLong(2, run.id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    table.put(rs.getString(1), new double[] {rs.getLong(2), rs.getDouble(3)});
                }
            }
        }
        System.out.printf("True dropout by risk level (generated store, %,d customers, churn from %s, as of %s)%n",
                run.customers(), source, run.asOf());
        System.out.printf("%-10s %10s %18s%n", "risk", "customers", "truly dropped out");
        table.forEach((k, v) -> System.out.printf("%-10s %10.0f %17.1f%%%n", k, v[0], 100 * v[1]));
        return table;
    }

    private static void assertSeparates(Map<String, double[]> table, double minRatio, double minDifference) {
        double[] low = table.get("low");
        double n = 0;
        double dropped = 0;
        for (String level : new String[] {"high", "critical"}) {
            double[] v = table.getOrDefault(level, new double[] {0, 0});
            n += v[0];
            dropped += v[0] * v[1];
        }
        assertTrue(low != null && low[0] >= 50 && n >= 50, "both groups are populated: " + table.keySet());
        double high = dropped / n;
        assertTrue(high >= minRatio * low[1] && high - low[1] >= minDifference, "high/critical " + high + " vs low " + low[1]);
    }
}
