package io.clvanalytics.engine.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LifecycleTest {

    static final LocalDate START = LocalDate.of(2023, 1, 1);
    static final LocalDate AS_OF = LocalDate.of(2024, 12, 31);

    @TempDir
    Path dir;
    Engine engine;

    /** Two years of monthly sales with a known shape per product. */
    static void shapes(Engine engine) {
        Fixtures.product(engine, 10, "GROW", true);
        Fixtures.product(engine, 11, "FLAT", true);
        Fixtures.product(engine, 12, "FALL", true);
        Fixtures.product(engine, 13, "GONE", true);
        Fixtures.product(engine, 14, "NEW", true);
        Fixtures.product(engine, 15, "POST", false);
        Fixtures.product(engine, 16, "XMAS", true);
        Fixtures.product(engine, 17, "FILLER", true);
        for (int m = 0; m < 24; m++) {
            LocalDate month = START.plusMonths(m);
            int grow = m >= 12 ? (int) Math.round(10 * Math.pow(1.12, m - 12)) : 0;
            int flat = 40 + (m * 7) % 5 - 2;
            int xmas = month.getMonthValue() >= 11 ? 60 : 20 + (m * 7) % 5;
            int fall = m < 12 ? 50 : (int) Math.round(50 * Math.pow(0.85, m - 11));
            int gone = m < 20 ? 30 : 0;
            int fresh = m >= 22 ? 5 : 0;
            Fixtures.monthlySales(engine, 10, month, grow, 2.0, 40);
            Fixtures.monthlySales(engine, 11, month, flat, 3.0, 40);
            Fixtures.monthlySales(engine, 16, month, xmas, 3.0, 40);
            Fixtures.monthlySales(engine, 12, month, fall, 4.0, 40);
            Fixtures.monthlySales(engine, 13, month, gone, 1.0, 40);
            Fixtures.monthlySales(engine, 14, month, fresh, 9.0, 40);
            // The rest of the shop keeps its total at 300 sale lines a month (stages are relative to the shop).
            Fixtures.monthlySales(engine, 17, month, 300 - grow - flat - xmas - fall - gone - fresh, 1.0, 40);
            Fixtures.monthlySales(engine, 15, month, 10, 5.0, 40);
        }
    }

    @BeforeEach
    void store() {
        engine = Engine.open(dir.resolve("l.duckdb"));
        shapes(engine);
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void each_product_gets_the_stage_its_sales_shape_shows_and_it_is_stored_on_the_product() {
        List<ProductLifecycle> all = ProductAnalytics.of(engine).analyzeCatalogueLifecycle(AS_OF);
        Map<String, ProductLifecycle> byCode = all.stream().collect(Collectors.toMap(ProductLifecycle::productCode, Function.identity()));
        assertEquals("growth", byCode.get("GROW").stage());
        assertEquals("maturity", byCode.get("FLAT").stage());
        assertEquals("decline", byCode.get("FALL").stage());
        assertEquals("discontinued", byCode.get("GONE").stage());
        assertEquals("introduction", byCode.get("NEW").stage());
        assertNull(byCode.get("POST"), "non-product lines get no stage");
        all.forEach(p -> assertTrue(p.confidence() > 0 && p.confidence() <= 1, p.productCode() + " confidence " + p.confidence()));
        assertEquals(4, byCode.get("GONE").monthsWithoutSales());
        assertEquals(LocalDate.of(2024, 8, 28), byCode.get("GONE").lastSaleDate());
        assertEquals(stagesStoredOnProducts(), all.stream().collect(Collectors.toMap(ProductLifecycle::productId, ProductLifecycle::stage)));
    }

    @Test
    void the_trend_of_a_growing_product_is_up_and_significant_and_of_a_flat_one_is_not() {
        Map<String, ProductLifecycle> byCode = ProductAnalytics.of(engine).analyzeCatalogueLifecycle(AS_OF).stream()
                .collect(Collectors.toMap(ProductLifecycle::productCode, Function.identity()));
        ProductLifecycle grow = byCode.get("GROW");
        assertEquals("up", grow.trendDirection());
        assertTrue(grow.trendPValue() < 0.01, "p " + grow.trendPValue());
        assertEquals("down", byCode.get("FALL").trendDirection());
        assertEquals("flat", byCode.get("FLAT").trendDirection());
        assertEquals(24, byCode.get("FLAT").trendMonths());
        assertNotNull(byCode.get("FLAT").seasonal(), "24 months are enough to judge seasonality");
        assertEquals(Boolean.FALSE, byCode.get("FLAT").seasonal());
        assertEquals(Boolean.TRUE, byCode.get("XMAS").seasonal(), "a November-December peak every year");
        assertNull(grow.seasonal(), "12 months are too few to judge seasonality");
    }

    @Test
    void the_stage_history_shows_when_a_product_entered_decline() {
        ProductAnalytics pa = ProductAnalytics.of(engine);
        long fall = pa.resolveProduct("FALL");
        ProductLifecycle lifecycle = pa.analyzeProductLifecycle(fall, AS_OF);
        List<StageChange> history = lifecycle.history();
        assertEquals("introduction", history.get(0).stage());
        assertEquals(START, history.get(0).enteredOn());
        StageChange decline = history.stream().filter(h -> h.stage().equals("decline")).findFirst().orElseThrow();
        assertTrue(!decline.enteredOn().isBefore(LocalDate.of(2024, 1, 1)) && decline.enteredOn().isBefore(LocalDate.of(2024, 5, 1)),
                "entered decline " + decline.enteredOn());
        assertEquals("decline", history.get(history.size() - 1).stage());
        assertEquals(pa.stageHistory(fall), history);
        assertEquals(24, lifecycle.series().size());
        TrendPoint last = lifecycle.series().get(23);
        assertEquals(LocalDate.of(2024, 12, 1), last.month());
        assertNotNull(last.yoyGrowth());
        assertTrue(last.yoyGrowth() < -0.5, "yoy " + last.yoyGrowth());
    }

    @Test
    void an_incomplete_last_month_is_not_read_as_a_fall_in_sales() {
        // 10 December: December has a third of a month's sales; FLAT must not turn to decline.
        Map<String, ProductLifecycle> byCode = ProductAnalytics.of(engine).analyzeCatalogueLifecycle(LocalDate.of(2024, 12, 10)).stream()
                .collect(Collectors.toMap(ProductLifecycle::productCode, Function.identity()));
        assertEquals("maturity", byCode.get("FLAT").stage());
        assertEquals(0, byCode.get("FLAT").monthsWithoutSales());
    }

    @Test
    void the_discontinued_threshold_is_configurable() {
        LifecycleRules d = LifecycleRules.defaults();
        LifecycleRules six = new LifecycleRules(6, d.introductionMonths(), d.smoothingMonths(), d.growthThreshold(),
                d.accelerationThreshold(), d.evidenceLines(), d.trendMonths(), d.seasonalAutocorrelation(), d.minZ(), d.declineFromPeak(), d.youngMonths());
        ProductAnalytics pa = ProductAnalytics.of(engine, ProductSettings.defaults().withLifecycle(six));
        ProductLifecycle gone = pa.analyzeProductLifecycle(pa.resolveProduct("GONE"), AS_OF);
        assertTrue(!gone.stage().equals("discontinued"), "4 months without sales is under the 6-month threshold: " + gone.stage());
    }

    @Test
    void a_products_lifecycle_is_read_from_the_current_catalogue_analysis_and_equals_its_own_analysis() {
        ProductAnalytics pa = ProductAnalytics.of(engine);
        pa.analyzeCatalogueLifecycle();
        long runs = lifecycleRuns();
        Map<String, ProductLifecycle> read = new HashMap<>();
        for (String code : List.of("GROW", "FLAT", "FALL", "GONE", "NEW", "XMAS", "FILLER")) {
            read.put(code, pa.lifecycle(pa.resolveProduct(code)));
        }
        assertEquals(runs, lifecycleRuns());
        long flat = pa.resolveProduct("FLAT");
        Fixtures.sql(engine, "UPDATE product_lifecycle SET confidence = 0.123 WHERE product_id = " + flat);
        assertEquals(0.123, pa.lifecycle(flat).confidence(), "read from the store, not analysed again");
        assertEquals(7, stagesStoredOnProducts().size());
        for (Map.Entry<String, ProductLifecycle> e : read.entrySet()) {
            ProductLifecycle own = pa.analyzeProductLifecycle(pa.resolveProduct(e.getKey()));
            assertTrue(!own.series().isEmpty() && !own.history().isEmpty(), e.getKey());
            assertEquals(own, e.getValue(), e.getKey());
        }
        io.clvanalytics.engine.DataValidationException post = org.junit.jupiter.api.Assertions.assertThrows(
                io.clvanalytics.engine.DataValidationException.class, () -> pa.lifecycle(pa.resolveProduct("POST")));
        assertTrue(post.getMessage().contains("no sales"), post.getMessage());
    }

    @Test
    void without_a_current_catalogue_analysis_a_products_lifecycle_is_analysed_for_the_call_and_nothing_is_stored() {
        ProductAnalytics pa = ProductAnalytics.of(engine);
        long flat = pa.resolveProduct("FLAT");
        ProductLifecycle none = pa.lifecycle(flat);
        assertEquals(0, lifecycleRuns(), "no analysis stored: analysed for the call only");
        assertEquals(Map.of(), stagesStoredOnProducts());
        pa.analyzeCatalogueLifecycle();
        assertEquals(none, pa.lifecycle(flat));

        Fixtures.monthlySales(engine, 11, LocalDate.of(2024, 12, 1), 3, 3.0, 40);
        ProductLifecycle afterImport = pa.lifecycle(flat);
        assertEquals(1, lifecycleRuns(), "new transactions: read, not stored");
        assertEquals(pa.analyzeProductLifecycle(flat), afterImport);

        LifecycleRules d = LifecycleRules.defaults();
        LifecycleRules six = new LifecycleRules(6, d.introductionMonths(), d.smoothingMonths(), d.growthThreshold(),
                d.accelerationThreshold(), d.evidenceLines(), d.trendMonths(), d.seasonalAutocorrelation(), d.minZ(), d.declineFromPeak(), d.youngMonths());
        ProductAnalytics sixMonths = ProductAnalytics.of(engine, ProductSettings.defaults().withLifecycle(six));
        long gone = pa.resolveProduct("GONE");
        pa.analyzeCatalogueLifecycle();
        ProductLifecycle withSix = sixMonths.lifecycle(gone);
        assertTrue(!withSix.stage().equals("discontinued"), "other thresholds are not read from the default analysis: " + withSix.stage());
        assertEquals(sixMonths.analyzeProductLifecycle(gone), withSix);
        assertEquals(pa.analyzeProductLifecycle(flat), pa.lifecycle(flat), "one product's own analysis since: analysed again");
    }

    private long lifecycleRuns() {
        try (Connection c = engine.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM product_analysis_runs WHERE kind = 'lifecycle'")) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<Long, String> stagesStoredOnProducts() {
        Map<Long, String> out = new HashMap<>();
        try (Connection c = engine.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, lifecycle_stage FROM products WHERE lifecycle_stage IS NOT NULL")) {
            while (rs.next()) {
                out.put(rs.getLong(1), rs.getString(2));
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
