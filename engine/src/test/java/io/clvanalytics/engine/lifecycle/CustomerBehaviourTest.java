package io.clvanalytics.engine.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CustomerBehaviourTest {

    static final DateWindow YEAR = new DateWindow(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31));

    @TempDir
    Path dir;
    Engine engine;

    @BeforeEach
    void store() {
        engine = Engine.open(dir.resolve("c.duckdb"));
        Fixtures.product(engine, 1, "STARTER", true);
        Fixtures.product(engine, 2, "OTHER", true);
        // Customers 1..100: 1..40 start with STARTER and all come back; 41..100 start with OTHER and a third come back.
        Fixtures.sql(engine, """
                INSERT INTO customers (id, source_id, segment) SELECT c, 'c' || c, CASE WHEN c <= 40 THEN 'loyal' ELSE 'at risk' END FROM range(1, 101) r(c);
                INSERT INTO transactions (id, customer_id, product_id, order_id, date, quantity, unit_price, amount, is_return, batch_id)
                SELECT c, c, CASE WHEN c <= 40 THEN 1 ELSE 2 END, 'first' || c, DATE '2024-02-01', 1, 10, 10, false, 1 FROM range(1, 101) r(c);
                INSERT INTO transactions (id, customer_id, product_id, order_id, date, quantity, unit_price, amount, is_return, batch_id)
                SELECT 1000 + c, c, 2, 'again' || c, DATE '2024-06-01', 1, 10, 10, false, 1 FROM range(1, 101) r(c)
                WHERE c <= 40 OR c % 3 = 0;
                """);
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void a_gateway_product_shows_its_first_time_buyers_repeat_rate_with_the_sample_size() {
        List<GatewayProduct> gateways = ProductAnalytics.of(engine).gatewayProducts(10);
        GatewayProduct starter = gateways.get(0);
        assertEquals("STARTER", starter.productCode());
        assertEquals(40, starter.firstTimeBuyers());
        assertEquals(1.0, starter.repeatRate(), 1e-12);
        assertEquals((40 + 20) / 100.0, starter.overallRepeatRate(), 1e-12);
        assertTrue(starter.pValue() < 0.001, "p " + starter.pValue());
    }

    @Test
    void buyers_segment_mix_is_compared_with_all_customers_and_missing_clv_scores_are_named() {
        CustomerProfile p = ProductAnalytics.of(engine).customerProfile(1, YEAR);
        assertEquals(40, p.buyers());
        assertEquals(100, p.customers());
        SegmentShare loyal = p.segments().stream().filter(s -> s.segment().equals("loyal")).findFirst().orElseThrow();
        assertEquals(1.0, loyal.buyerShare(), 1e-12);
        assertEquals(0.4, loyal.overallShare(), 1e-12);
        assertNull(p.buyersAverageClv());
        assertTrue(p.notes().stream().anyMatch(n -> n.contains("no CLV scores")), p.notes().toString());
    }

    @Test
    void buyers_clv_and_p_alive_come_from_the_latest_scoring_run() {
        Fixtures.sql(engine, """
                INSERT INTO customer_scores (run_id, customer_id, p_alive, clv, scored_at)
                SELECT 1, c, 0.1, 1, TIMESTAMP '2024-12-01 00:00:00' FROM range(1, 101) r(c);
                INSERT INTO customer_scores (run_id, customer_id, p_alive, clv, scored_at)
                SELECT 2, c, CASE WHEN c <= 40 THEN 0.9 ELSE 0.4 END, CASE WHEN c <= 40 THEN 200 ELSE 50 END,
                       TIMESTAMP '2024-12-02 00:00:00' FROM range(1, 101) r(c);
                """);
        CustomerProfile p = ProductAnalytics.of(engine).customerProfile(1, YEAR);
        assertEquals(2L, p.clvRunId());
        assertEquals(200.0, p.buyersAverageClv(), 1e-9);
        assertEquals((40 * 200 + 60 * 50) / 100.0, p.allAverageClv(), 1e-9);
        assertEquals(0.9, p.buyersAveragePAlive(), 1e-9);
    }

    @Test
    void without_segments_or_sales_in_the_window_the_profile_still_counts_and_says_what_is_missing() {
        Fixtures.sql(engine, "UPDATE customers SET segment = NULL");
        CustomerProfile p = ProductAnalytics.of(engine).customerProfile(1, YEAR);
        assertEquals(40, p.buyers());
        assertEquals(100, p.customers());
        assertEquals(List.of(), p.segments());
        assertTrue(p.notes().stream().anyMatch(n -> n.contains("no customer segments")), p.notes().toString());
        assertTrue(p.notes().stream().anyMatch(n -> n.contains("no CLV scores")), p.notes().toString());

        CustomerProfile empty = ProductAnalytics.of(engine).customerProfile(1,
                new DateWindow(LocalDate.of(2020, 1, 1), LocalDate.of(2020, 12, 31)));
        assertEquals(0, empty.buyers());
        assertEquals(0, empty.customers());
        assertNull(empty.allAverageClv());
    }
}
