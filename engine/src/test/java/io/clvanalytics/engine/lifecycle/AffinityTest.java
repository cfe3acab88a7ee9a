package io.clvanalytics.engine.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AffinityTest {

    @TempDir
    Path dir;
    Engine engine;

    @BeforeEach
    void store() {
        engine = Engine.open(dir.resolve("a.duckdb"));
        Fixtures.product(engine, 1, "P1", true);
        Fixtures.product(engine, 2, "P2", true);
        Fixtures.product(engine, 3, "P3", true);
        Fixtures.product(engine, 9, "POST", false);
        // 40 baskets P1+P2, 10 P1 only, 20 P2 only, 30 P3 with postage, 5 postage only,
        // and returns that are not baskets. Orders 100..: customer-and-day baskets without an order id.
        Fixtures.sql(engine, """
                CREATE TEMP TABLE spec(first INT, last INT, product BIGINT);
                INSERT INTO spec VALUES (1, 40, 1), (1, 40, 2), (41, 50, 1), (51, 70, 2), (71, 100, 3), (71, 105, 9);
                INSERT INTO transactions (id, customer_id, product_id, order_id, date, quantity, unit_price, amount, is_return, batch_id)
                SELECT row_number() OVER (), b, product, CASE WHEN b <= 90 THEN 'o' || b END, DATE '2024-03-01', 1, 1, 1, false, 1
                FROM spec, range(first, last + 1) r(b);
                INSERT INTO transactions (id, customer_id, product_id, order_id, date, quantity, unit_price, amount, is_return, batch_id)
                SELECT 1000 + b, b, 1, 'C' || b, DATE '2024-03-02', -1, 1, -1, true, 1 FROM range(1, 30) r(b);
                INSERT INTO transactions (id, customer_id, product_id, order_id, date, quantity, unit_price, amount, is_return, batch_id)
                SELECT 2000 + b, b, 2, 'C' || b, DATE '2024-03-02', -1, 1, -1, true, 1 FROM range(1, 30) r(b);
                """);
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void rules_have_the_support_confidence_and_lift_counted_by_hand() {
        ProductAnalytics pa = ProductAnalytics.of(engine, ProductSettings.defaults().withAffinity(0.01, 1.0, 5));
        AffinityRun run = pa.computeAffinity(new DateWindow(java.time.LocalDate.of(2024, 1, 1), java.time.LocalDate.of(2024, 12, 31)));
        assertEquals(105, run.baskets(), "every sale basket counts, postage-only ones too; returns do not");
        assertEquals(3, run.frequentProducts());
        assertEquals(2, run.rules(), "P1->P2 and P2->P1; P3 is never bought with another product");
        AssociationRule r = pa.relatedProducts(1, 5).get(0);
        assertEquals(2, r.consequentId());
        assertEquals(40, r.basketsBoth());
        assertEquals(40.0 / 105, r.support(), 1e-12);
        assertEquals(40.0 / 50, r.confidence(), 1e-12);
        assertEquals(40.0 * 105 / (50 * 60), r.lift(), 1e-12);
        AssociationRule back = pa.relatedProducts(2, 5).get(0);
        assertEquals(40.0 / 60, back.confidence(), 1e-12);
    }

    @Test
    void rules_under_the_minimum_lift_or_support_are_dropped() {
        ProductAnalytics strict = ProductAnalytics.of(engine, ProductSettings.defaults().withAffinity(0.01, 1.5, 5));
        strict.computeAffinity(new DateWindow(java.time.LocalDate.of(2024, 1, 1), java.time.LocalDate.of(2024, 12, 31)));
        assertTrue(strict.relatedProducts(1, 5).isEmpty(), "lift 1.4 is under 1.5");
        ProductAnalytics rare = ProductAnalytics.of(engine, ProductSettings.defaults().withAffinity(0.5, 1.0, 5));
        rare.computeAffinity(new DateWindow(java.time.LocalDate.of(2024, 1, 1), java.time.LocalDate.of(2024, 12, 31)));
        assertEquals(List.of(), rare.relatedProducts(1, 5), "support 0.38 is under 0.5");
    }

    @Test
    void related_products_are_computed_on_first_use_when_none_are_stored() {
        ProductAnalytics pa = ProductAnalytics.of(engine, ProductSettings.defaults().withAffinity(0.01, 1.0, 5));
        assertEquals(2, pa.relatedProducts(1, 5).get(0).consequentId());
    }
}
