package io.clvanalytics.engine.retention;

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
 * On a simulated shop where each customer's true dropout date is known, the risk levels must
 * separate customers who really left from those still alive.
 */
class RetentionSenseTest {

    @TempDir
    Path dir;

    @Test
    void customersMarkedHighOrCriticalRiskTrulyDroppedOutFarMoreOftenThanLowRiskOnes() throws Exception {
        try (Engine engine = Engine.open(dir.resolve("sim.duckdb"))) {
            RetentionFixtures.simulatedShop(engine, dir, 4000, 2024);
            RetentionRun run = RetentionService.of(engine).score(RetentionSettings.defaults());
            Map<String, double[]> table = new LinkedHashMap<>();
            try (Connection c = engine.connect(); PreparedStatement ps = c.prepareStatement("""
                    SELECT s.risk_level, count(*), avg(CASE WHEN t.dropout_date <= ? THEN 1.0 ELSE 0.0 END)
                    FROM retention_scores s JOIN sim_truth t USING (customer_id)
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
            System.out.printf("True dropout by risk level (simulated shop, 4,000 customers, churn from %s, as of %s)%n",
                    run.scoredByModel() > 0 ? "the model" : "the recency fallback", run.asOf());
            System.out.printf("%-10s %10s %18s%n", "risk", "customers", "truly dropped out");
            table.forEach((k, v) -> System.out.printf("%-10s %10.0f %17.1f%%%n", k, v[0], 100 * v[1]));
            double low = table.get("low")[1];
            double highOrCritical = (table.get("high")[0] * table.get("high")[1] + table.get("critical")[0] * table.get("critical")[1])
                    / (table.get("high")[0] + table.get("critical")[0]);
            assertTrue(highOrCritical >= 0.8, "high/critical truly dropped out: " + highOrCritical);
            assertTrue(highOrCritical >= 2 * low && highOrCritical - low >= 0.4,
                    "high/critical " + highOrCritical + " vs low " + low);
        }
    }
}
