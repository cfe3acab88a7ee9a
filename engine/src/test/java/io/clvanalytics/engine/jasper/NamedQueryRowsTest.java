package io.clvanalytics.engine.jasper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The named queries added for the web pages, read through {@link NamedQuery#rows}, on the report fixture. */
class NamedQueryRowsTest {

    @TempDir
    Path dir;

    private static List<Map<String, Object>> rows(Engine engine, String query, Map<String, ?> params) throws Exception {
        try (Connection c = engine.connect()) {
            return NamedQueries.find(query).orElseThrow().rows(c, params);
        }
    }

    @Test
    void periodKpisCompareTheLastDaysWithTheDaysBefore() throws Exception {
        try (Engine engine = ReportFixture.create(dir.resolve("s.duckdb"), 40, false)) {
            var p = rows(engine, "period_kpis", Map.of("days", 30));
            assertEquals(List.of("current", "previous"), p.stream().map(r -> r.get("period")).toList());
            var last = (java.time.LocalDate) rows(engine, "kpis", Map.of()).get(0).get("last_date");
            assertEquals(last, p.get(0).get("period_end"));
            assertEquals(last.minusDays(29), p.get(0).get("period_start"));
            assertEquals(last.minusDays(30), p.get(1).get("period_end"));
            assertEquals(last.minusDays(59), p.get(1).get("period_start"));
            double months = rows(engine, "monthly_revenue", Map.of("months", 120)).stream()
                    .mapToDouble(r -> (Double) r.get("revenue")).sum();
            double all = (Double) rows(engine, "kpis", Map.of()).get(0).get("revenue");
            assertEquals(all, months, 1e-6, "the months add up to the store's revenue");
        }
    }

    @Test
    void unknownParametersAndBadValuesAreRefusedByName() throws Exception {
        try (Engine engine = ReportFixture.create(dir.resolve("s.duckdb"), 5, false)) {
            var e = assertThrows(IllegalArgumentException.class, () -> rows(engine, "at_risk", Map.of("order_by", "x")));
            assertTrue(e.getMessage().contains("no parameter") && e.getMessage().contains("order_by"), e.getMessage());
            var bad = assertThrows(IllegalArgumentException.class, () -> rows(engine, "at_risk", Map.of("limit", "ten")));
            assertTrue(bad.getMessage().contains("parameter limit must be an integer"), bad.getMessage());
            var p1 = rows(engine, "product_monthly", Map.of("product", "P1", "months", 400));
            assertTrue(!p1.isEmpty() && p1.stream().allMatch(r -> "P1".equals(r.get("product"))), p1.toString());
        }
    }
}
