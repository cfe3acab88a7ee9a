package io.clvanalytics.engine.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.ingest.Field;
import io.clvanalytics.engine.ingest.ImportOptions;
import io.clvanalytics.engine.ingest.Importer;
import io.clvanalytics.engine.testdata.SharedData;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Product analytics on UCI Online Retail (Chen, D. 2015, UCI Machine Learning Repository,
 * https://doi.org/10.24432/C5BW33, CC BY 4.0), checked against plain SQL over the raw file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnlineRetailProductTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-15T10:00:00Z"), ZoneOffset.UTC);
    private static final String GREEN = "GREEN REGENCY TEACUP AND SAUCER";
    private static final String PINK = "PINK REGENCY TEACUP AND SAUCER";

    @TempDir
    static Path dir;
    Path csv;
    Engine engine;

    /** The file imported as `clv import` does by default: rows without a CustomerID are rejected. */
    @BeforeAll
    void importWithCustomers() {
        csv = SharedData.file("online_retail/online_retail.csv.gz");
        engine = Engine.open(dir.resolve("or.duckdb"), CLOCK);
        Importer.into(engine).run(ImportOptions.builder(csv).onError(ImportOptions.OnError.SKIP)
                .rejectsFile(dir.resolve("rejects.csv")).build());
    }

    @AfterAll
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void top_products_by_net_revenue_agree_with_plain_sql_over_the_raw_file_and_add_up_to_the_store() throws Exception {
        {
            ProductAnalytics pa = ProductAnalytics.of(engine);
            DateWindow all = pa.fullHistory();
            List<ProductMetrics> metrics = pa.calculateCatalogueMetrics(all, Period.WINDOW);

            // Independent check: lines with a customer (what the importer keeps), cancellations (C
            // invoices, often on the same day) netted by their negative quantities, postage, fees,
            // discounts, manual lines and vouchers left out by stock code.
            List<Object[]> expected = new ArrayList<>();
            try (Connection c = engine.connect(); PreparedStatement ps = c.prepareStatement("""
                    SELECT StockCode, sum(Quantity * UnitPrice) AS net
                    FROM read_csv(?, header = true, all_varchar = false)
                    WHERE CustomerID IS NOT NULL
                      AND StockCode NOT IN ('POST', 'DOT', 'M', 'm', 'D', 'S', 'B', 'C2', 'CRUK', 'PADS', 'BANK CHARGES', 'AMAZONFEE')
                      AND StockCode NOT LIKE 'gift%'
                    GROUP BY StockCode ORDER BY net DESC LIMIT 10
                    """)) {
                ps.setString(1, csv.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        expected.add(new Object[] {rs.getString(1), rs.getDouble(2)});
                    }
                }
            }
            for (int i = 0; i < expected.size(); i++) {
                ProductMetrics m = metrics.get(i);
                assertEquals(expected.get(i)[0], m.productCode(), "rank " + (i + 1));
                assertEquals((double) expected.get(i)[1], m.netRevenue(), 0.005, "net revenue of " + m.productCode());
                assertEquals(i + 1, m.rank());
            }
            assertTrue(metrics.stream().noneMatch(m -> m.productCode().equals("POST") || m.productCode().equals("AMAZONFEE")));

            double sum = metrics.stream().mapToDouble(ProductMetrics::netRevenue).sum();
            StoreRevenue store = pa.storeRevenue(all);
            assertEquals(store.productRevenue(), sum, 0.01, "sum of product revenue = the store's product revenue");
            double other = pa.nonProductLines(all).stream().mapToDouble(NonProductLine::netRevenue).sum();
            assertEquals(store.netRevenue(), sum + other, 0.01, "products + non-product lines = the store's net revenue");
        }
    }

    @Test
    void green_and_pink_regency_teacups_are_a_strong_pair_over_all_invoices_without_cancellations() {
        try (Engine all = Engine.open(dir.resolve("baskets.duckdb"), CLOCK)) {
            // Keep every invoice, with or without a CustomerID (the importer rejects rows without one):
            // each invoice stands for its own customer here, since only baskets matter.
            Importer.into(all).run(ImportOptions.builder(csv).map(Field.CUSTOMER_ID, "InvoiceNo")
                    .onError(ImportOptions.OnError.SKIP).rejectsFile(dir.resolve("rejects-all.csv")).build());
            AssociationRule rule = pair(all);
            // Over the invoices with a sale line: GREEN in about 1,015, PINK in 766, both in 633.
            assertEquals(633, rule.basketsBoth());
            assertEquals(0.62, rule.confidence(), 0.01);
            assertEquals(17.0, rule.lift(), 0.5);
        }
    }

    @Test
    void the_teacup_pair_on_the_imported_customers_matches_plain_sql_over_the_same_invoices() throws Exception {
        {
            AssociationRule rule = pair(engine);
            double[] expected = new double[3];
            try (Connection c = engine.connect(); PreparedStatement ps = c.prepareStatement("""
                    WITH b AS (
                        SELECT DISTINCT InvoiceNo, Description FROM read_csv(?, header = true)
                        WHERE CustomerID IS NOT NULL AND Quantity > 0
                    ),
                    n AS (SELECT count(DISTINCT InvoiceNo) AS n FROM b),
                    g AS (SELECT InvoiceNo FROM b WHERE Description = ?),
                    p AS (SELECT InvoiceNo FROM b WHERE Description = ?)
                    SELECT (SELECT count(*) FROM g JOIN p USING (InvoiceNo)) AS both_count,
                           (SELECT count(*) FROM g) AS g, (SELECT count(*) FROM p) AS p, n FROM n
                    """)) {
                ps.setString(1, csv.toString());
                ps.setString(2, GREEN);
                ps.setString(3, PINK);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    expected[0] = rs.getLong("both_count");
                    expected[1] = rs.getDouble("both_count") / rs.getLong("g");
                    expected[2] = rs.getDouble("both_count") * rs.getLong("n") / ((double) rs.getLong("g") * rs.getLong("p"));
                }
            }
            assertEquals((long) expected[0], rule.basketsBoth());
            assertEquals(expected[1], rule.confidence(), 1e-9);
            assertEquals(expected[2], rule.lift(), 1e-9);
        }
    }

    /** The stored rule GREEN -> PINK (products looked up by name). */
    private static AssociationRule pair(Engine engine) {
        ProductAnalytics pa = ProductAnalytics.of(engine);
        pa.computeAffinity(pa.fullHistory());
        Map<String, Long> ids = new java.util.HashMap<>();
        try (Connection c = engine.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT name, min(id) FROM products WHERE name IN (?, ?) GROUP BY name")) {
            ps.setString(1, GREEN);
            ps.setString(2, PINK);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.put(rs.getString(1), rs.getLong(2));
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        Map<Long, AssociationRule> related = pa.relatedProducts(ids.get(GREEN), 50).stream()
                .collect(Collectors.toMap(AssociationRule::consequentId, Function.identity()));
        AssociationRule rule = related.get(ids.get(PINK));
        assertTrue(rule != null, "PINK is among GREEN's related products: " + related.values());
        return rule;
    }
}
