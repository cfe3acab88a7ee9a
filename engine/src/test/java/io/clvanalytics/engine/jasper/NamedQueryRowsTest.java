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

/** The queries the web pages read through {@link NamedQuery#rows}, on the report fixture. */
class NamedQueryRowsTest {

    @TempDir
    Path dir;

    private static List<Map<String, Object>> rows(Engine engine, String query, Map<String, ?> params) throws Exception {
        try (Connection c = engine.connect()) {
            return NamedQueries.find(query).orElseThrow().rows(c, params);
        }
    }

    @Test
    void theCustomerListPagesFiltersSearchesAndSortsByAnAllowedKey() throws Exception {
        try (Engine engine = ReportFixture.create(dir.resolve("s.duckdb"), 60, true)) {
            var first = rows(engine, "customer_list", Map.of("limit", 10));
            assertEquals(10, first.size());
            assertEquals(60L, ((Number) first.get(0).get("total")).longValue());
            for (int i = 1; i < first.size(); i++) {
                assertTrue((Double) first.get(i - 1).get("clv") >= (Double) first.get(i).get("clv"), "sorted by CLV, highest first");
            }
            var second = rows(engine, "customer_list", Map.of("limit", 10, "offset", 10));
            assertTrue(((Double) first.get(9).get("clv")) >= (Double) second.get(0).get("clv"));
            var asc = rows(engine, "customer_list", Map.of("sort", "p_alive", "direction", "asc", "limit", 5));
            assertEquals(0.01, (Double) asc.get(0).get("p_alive"), 1e-9);
            var byId = rows(engine, "customer_list", Map.of("search", "C7"));
            assertEquals(List.of("C7"), byId.stream().map(r -> r.get("customer")).toList());
            var byName = rows(engine, "customer_list", Map.of("search", "<B>2</b>"));
            assertEquals(List.of("C2"), byName.stream().map(r -> r.get("customer")).toList(), "part of the name, any case");
            var loyal = rows(engine, "customer_list", Map.of("segment", "LOYAL", "limit", 100));
            assertTrue(!loyal.isEmpty() && loyal.stream().allMatch(r -> "loyal".equalsIgnoreCase((String) r.get("segment"))));
            var wildcard = rows(engine, "customer_list", Map.of("search", "%"));
            assertEquals(0, wildcard.size(), "search text is matched literally");
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
            var e = assertThrows(IllegalArgumentException.class, () -> rows(engine, "customer_list", Map.of("order_by", "x")));
            assertTrue(e.getMessage().contains("no parameter order_by"), e.getMessage());
            var bad = assertThrows(IllegalArgumentException.class, () -> rows(engine, "customer_list", Map.of("limit", "ten")));
            assertTrue(bad.getMessage().contains("parameter limit must be an integer"), bad.getMessage());
            var p1 = rows(engine, "product_monthly", Map.of("product", "P1", "months", 400));
            assertTrue(!p1.isEmpty() && p1.stream().allMatch(r -> "P1".equals(r.get("product"))), p1.toString());
        }
    }
}
