package io.clvanalytics.engine.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProductMetricsTest {

    static final DateWindow JANUARY = DateWindow.month(2024, 1);

    @TempDir
    Path dir;
    Engine engine;

    @BeforeEach
    void store() {
        engine = Engine.open(dir.resolve("m.duckdb"));
        Fixtures.product(engine, 1, "A", true);
        Fixtures.product(engine, 2, "B", true);
        Fixtures.product(engine, 3, "POST", false);
        Fixtures.product(engine, 4, "FEE", true);
        // customer 2 first bought in December; customer 1 on 5 January; customer 3 on 25 January.
        Fixtures.sql(engine, """
                INSERT INTO transactions (id, customer_id, product_id, order_id, date, quantity, unit_price, amount, is_return, batch_id) VALUES
                (1, 1, 1, 'o1', '2024-01-05', 2, 10, 20, false, 1),
                (2, 1, 2, 'o1', '2024-01-05', 1, 5, 5, false, 1),
                (3, 1, 3, 'o1', '2024-01-05', 1, 3, 3, false, 1),
                (4, 2, 1, 'o2', '2024-01-10', 1, 10, 10, false, 1),
                (5, 1, 1, 'o3', '2024-01-20', 1, 10, 10, false, 1),
                (6, 1, 1, 'c1', '2024-01-21', -1, 10, -10, true, 1),
                (7, 3, 2, 'o4', '2024-01-25', 4, 5, 20, false, 1),
                (8, 3, 4, 'o4', '2024-01-25', 1, 2, 2, false, 1),
                (9, 2, 1, 'o0', '2023-12-01', 1, 10, 10, false, 1)
                """);
    }

    @org.junit.jupiter.api.AfterEach
    void close() {
        engine.close();
    }

    @Test
    void a_products_metrics_net_its_returns_and_split_revenue_between_new_and_returning_customers() {
        ProductAnalytics pa = ProductAnalytics.of(engine, ProductSettings.defaults().withNonProductCodes(Set.of("FEE")));
        ProductMetrics a = pa.calculateProductMetrics(1, JANUARY).orElseThrow();
        assertEquals(30.0, a.netRevenue(), 1e-9);
        assertEquals(40.0, a.grossRevenue(), 1e-9);
        assertEquals(10.0, a.returnedRevenue(), 1e-9);
        assertEquals(4.0, a.unitsSold(), 1e-9);
        assertEquals(1.0, a.unitsReturned(), 1e-9);
        assertEquals(3, a.orders());
        assertEquals(2, a.customers());
        assertEquals(10.0, a.averageSellingPrice(), 1e-9);
        assertEquals(0.25, a.returnRate(), 1e-9);
        assertEquals(0.5, a.repeatPurchaseRate(), 1e-9, "customer 1 bought A twice, customer 2 once");
        assertEquals(20.0, a.newCustomerRevenue(), 1e-9, "only customer 1's first-day line is new-customer revenue");
        assertEquals(10.0, a.returningCustomerRevenue(), 1e-9);
        assertEquals(1, a.rank());
        assertEquals(30.0 / 55.0, a.revenueShare(), 1e-9);
    }

    @Test
    void non_product_lines_are_left_out_by_the_import_flag_and_by_configured_codes_and_reported_apart() {
        ProductAnalytics flagOnly = ProductAnalytics.of(engine);
        assertEquals(Set.of(1L, 2L, 4L), ids(flagOnly.calculateCatalogueMetrics(JANUARY, Period.WINDOW)));

        ProductAnalytics withFee = ProductAnalytics.of(engine, ProductSettings.defaults().withNonProductCodes(Set.of("FEE")));
        assertEquals(Set.of(1L, 2L), ids(withFee.calculateCatalogueMetrics(JANUARY, Period.WINDOW)));
        Map<String, NonProductLine> other = withFee.nonProductLines(JANUARY).stream()
                .collect(Collectors.toMap(NonProductLine::productCode, Function.identity()));
        assertEquals("import flag", other.get("POST").reason());
        assertEquals(3.0, other.get("POST").netRevenue(), 1e-9);
        assertEquals("configured code", other.get("FEE").reason());
    }

    @Test
    void the_sum_of_product_revenue_equals_the_stores_product_revenue_for_the_same_window_and_rules() {
        ProductAnalytics pa = ProductAnalytics.of(engine, ProductSettings.defaults().withNonProductCodes(Set.of("FEE")));
        double sum = pa.calculateCatalogueMetrics(JANUARY, Period.WINDOW).stream().mapToDouble(ProductMetrics::netRevenue).sum();
        StoreRevenue store = pa.storeRevenue(JANUARY);
        assertEquals(store.productRevenue(), sum, 1e-9);
        assertEquals(60.0, store.netRevenue(), 1e-9);
        assertEquals(store.netRevenue(), store.productRevenue() + store.nonProductRevenue(), 1e-9);
        double nonProducts = pa.nonProductLines(JANUARY).stream().mapToDouble(NonProductLine::netRevenue).sum();
        assertEquals(store.nonProductRevenue(), nonProducts, 1e-9);
    }

    @Test
    void abc_classes_follow_the_configured_cumulative_revenue_shares() {
        ProductSettings s = ProductSettings.defaults().withNonProductCodes(Set.of("FEE"));
        Map<Long, String> byDefault = abc(ProductAnalytics.of(engine, s));
        assertEquals(Map.of(1L, "A", 2L, "A"), byDefault, "B starts at 54.5 % cumulative share, under 80 %");
        Map<Long, String> tight = abc(ProductAnalytics.of(engine, s.withAbc(0.5, 0.9)));
        assertEquals(Map.of(1L, "A", 2L, "B"), tight);
    }

    @Test
    void monthly_metrics_give_one_row_per_product_and_month_with_shares_within_each_month() {
        ProductAnalytics pa = ProductAnalytics.of(engine);
        List<ProductMetrics> rows = pa.calculateCatalogueMetrics(new DateWindow(LocalDate.of(2023, 12, 1), LocalDate.of(2024, 1, 31)), Period.MONTH);
        List<ProductMetrics> december = rows.stream().filter(r -> r.periodStart().equals(LocalDate.of(2023, 12, 1))).toList();
        assertEquals(1, december.size());
        assertEquals(1.0, december.get(0).revenueShare(), 1e-9);
        double januaryShares = rows.stream().filter(r -> r.periodStart().equals(LocalDate.of(2024, 1, 1)))
                .mapToDouble(ProductMetrics::revenueShare).sum();
        assertEquals(1.0, januaryShares, 1e-9);
        assertTrue(pa.calculateProductMetrics(2, DateWindow.month(2023, 12)).isEmpty(), "B had no lines in December");
    }

    private static Set<Long> ids(List<ProductMetrics> rows) {
        return rows.stream().map(ProductMetrics::productId).collect(Collectors.toSet());
    }

    private static Map<Long, String> abc(ProductAnalytics pa) {
        return pa.calculateCatalogueMetrics(JANUARY, Period.WINDOW).stream()
                .collect(Collectors.toMap(ProductMetrics::productId, ProductMetrics::abcClass));
    }
}
