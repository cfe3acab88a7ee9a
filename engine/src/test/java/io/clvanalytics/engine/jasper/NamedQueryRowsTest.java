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

    /** period_kpis as it was first written (a subquery per period and figure): the one-pass query must answer the same. */
    private static final String PERIOD_KPIS_REFERENCE = """
            WITH b AS (SELECT max(date) AS last_day, CAST(? AS INTEGER) AS d FROM transactions),
                 p AS (SELECT 'current' AS period, last_day - d + 1 AS period_start, last_day AS period_end FROM b
                       UNION ALL
                       SELECT 'previous', last_day - 2 * d + 1, last_day - d FROM b)
            SELECT p.period, p.period_start, p.period_end,
                   (SELECT CAST(sum(t.amount) AS DOUBLE) FROM transactions t WHERE t.date BETWEEN p.period_start AND p.period_end) AS revenue,
                   (SELECT count(DISTINCT t.customer_id) FROM transactions t
                    WHERE t.date BETWEEN p.period_start AND p.period_end AND NOT t.is_return) AS active_customers,
                   (SELECT count(*) FROM customers c WHERE c.acquisition_date BETWEEN p.period_start AND p.period_end) AS new_customers,
                   (SELECT count(DISTINCT t.order_id) FROM transactions t WHERE t.date BETWEEN p.period_start AND p.period_end) AS orders
            FROM p ORDER BY p.period
            """;

    @Test
    void periodKpisAnswerWhatASubqueryPerPeriodAndFigureAnswers() throws Exception {
        try (Engine engine = ReportFixture.create(dir.resolve("s.duckdb"), 120, false); Connection c = engine.connect()) {
            try (var st = c.createStatement()) {
                st.execute("UPDATE transactions SET is_return = true, amount = -amount WHERE id % 9 = 0");
            }
            for (int days : new int[] {7, 30, 90, 365, 5000}) {
                List<Map<String, Object>> expected = new java.util.ArrayList<>();
                try (var ps = c.prepareStatement(PERIOD_KPIS_REFERENCE)) {
                    ps.setInt(1, days);
                    try (var rs = ps.executeQuery()) {
                        while (rs.next()) {
                            Map<String, Object> row = new java.util.LinkedHashMap<>();
                            for (String col : List.of("period", "period_start", "period_end", "revenue", "active_customers", "new_customers", "orders")) {
                                row.put(col, col.startsWith("period_") ? rs.getObject(col, java.time.LocalDate.class) : rs.getObject(col));
                            }
                            expected.add(row);
                        }
                    }
                }
                List<Map<String, Object>> actual = rows(engine, "period_kpis", Map.of("days", days));
                assertEquals(expected.toString(), actual.toString(), days + " days");
            }
            assertEquals(null, rows(engine, "period_kpis", Map.of("days", 5000)).get(1).get("revenue"), "no sale in the period: no revenue");
        }
    }

    @Test
    void relatedProductsOfOneProductAreItsPairsAmongAllPairsComputedFromOrders() throws Exception {
        try (Engine engine = ReportFixture.create(dir.resolve("s.duckdb"), 150, false)) {
            try (Connection c = engine.connect(); var st = c.createStatement()) {
                // Orders of several lines (the fixture's are of one), some of them returned.
                st.execute("UPDATE transactions SET order_id = 'O' || customer_id || '-' || (id % 2), is_return = (id % 11 = 0)");
            }
            List<Map<String, Object>> all = rows(engine, "related_products", Map.of("limit", 1_000_000));
            assertTrue(all.size() > 20, "pairs: " + all.size());
            assertEquals(pairsCountedInJava(engine), all.stream()
                    .map(r -> r.get("product") + "+" + r.get("related") + " " + r.get("orders_together") + " "
                            + round((Double) r.get("confidence")) + " " + round((Double) r.get("lift"))).toList());
            for (String product : List.of("P1", "P7", "P23", "P40")) {
                List<Map<String, Object>> expected = all.stream()
                        .filter(r -> product.equals(r.get("product")) || product.equals(r.get("related"))).limit(15).toList();
                assertTrue(!expected.isEmpty(), product);
                assertEquals(expected, rows(engine, "related_products", Map.of("product", product, "limit", 15)), product);
            }
            assertEquals(List.of(), rows(engine, "related_products", Map.of("product", "NOPE")));
        }
    }

    /**
     * Every pair of products in the same order (sale lines of products, with an order id), counted here from the
     * distinct order lines: "product+related together confidence lift", in the query's order.
     */
    private static List<String> pairsCountedInJava(Engine engine) throws Exception {
        Map<String, java.util.Set<String>> orders = new java.util.TreeMap<>();
        try (Connection c = engine.connect(); var st = c.createStatement(); var rs = st.executeQuery("""
                SELECT t.order_id, p.source_id FROM transactions t JOIN products p ON p.id = t.product_id
                WHERE t.order_id IS NOT NULL AND p.is_product AND NOT t.is_return ORDER BY p.id""")) {
            while (rs.next()) {
                orders.computeIfAbsent(rs.getString(1), k -> new java.util.LinkedHashSet<>()).add(rs.getString(2));
            }
        }
        Map<String, Integer> freq = new java.util.HashMap<>();
        Map<List<String>, Integer> together = new java.util.HashMap<>();
        for (java.util.Set<String> products : orders.values()) {
            List<String> ps = List.copyOf(products); // in product id order, as the query pairs them (lower id first)
            for (int i = 0; i < ps.size(); i++) {
                freq.merge(ps.get(i), 1, Integer::sum);
                for (int j = i + 1; j < ps.size(); j++) {
                    together.merge(List.of(ps.get(i), ps.get(j)), 1, Integer::sum);
                }
            }
        }
        int n = orders.size();
        record Pair(String a, String b, int both, double confidence, double lift) {}
        return together.entrySet().stream()
                .map(e -> {
                    String a = e.getKey().get(0);
                    String b = e.getKey().get(1);
                    int both = e.getValue();
                    return new Pair(a, b, both, both / (double) freq.get(a), both * (double) n / ((double) freq.get(a) * freq.get(b)));
                })
                .sorted(java.util.Comparator.comparingInt((Pair p) -> -p.both()).thenComparing(p -> -p.lift())
                        .thenComparing(Pair::a).thenComparing(Pair::b))
                .map(p -> p.a() + "+" + p.b() + " " + p.both() + " " + round(p.confidence()) + " " + round(p.lift()))
                .toList();
    }

    private static String round(double v) {
        return String.format(java.util.Locale.ROOT, "%.9f", v);
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
