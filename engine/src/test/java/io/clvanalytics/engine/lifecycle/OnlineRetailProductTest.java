package io.clvanalytics.engine.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.StoreInfo;
import io.clvanalytics.engine.cli.ClvCli;
import io.clvanalytics.engine.testdata.SharedData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Product analytics on UCI Online Retail (Chen, D. 2015, UCI Machine Learning Repository,
 * https://doi.org/10.24432/C5BW33, CC BY 4.0), imported with the README's command for product
 * analytics ({@code --missing-customer guest}: every invoice counts, with or without a CustomerID)
 * and checked against plain SQL over the raw file.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnlineRetailProductTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GREEN = "22697"; // GREEN REGENCY TEACUP AND SAUCER
    private static final String PINK = "22698"; // PINK REGENCY TEACUP AND SAUCER

    @TempDir
    static Path dir;
    Path csv;
    Path db;

    private record Run(int code, String out, String err) {}

    private static Run clv(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ClvCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    private static JsonNode json(Run r) throws Exception {
        assertEquals(ClvCli.EXIT_OK, r.code(), r.err());
        return JSON.readTree(r.out());
    }

    /** README: {@code bin/clv import --db data/online_retail_products.duckdb --missing-customer guest --currency GBP FILE}. */
    @BeforeAll
    void importEveryInvoice() throws Exception {
        csv = SharedData.file("online_retail/online_retail.csv.gz");
        db = dir.resolve("online_retail_products.duckdb");
        JsonNode summary = json(clv("import", "--db", db.toString(), "--missing-customer", "guest", "--currency", "GBP",
                csv.toString(), "--json"));
        assertEquals(541_909, summary.get("rowsImported").asLong());
        assertEquals(0, summary.get("rowsRejected").asLong());
        assertEquals(135_080, summary.get("guestLines").asLong());
    }

    @Test
    void guests_are_not_customers() {
        try (Engine engine = Engine.open(db)) {
            assertEquals(4_372, StoreInfo.of(engine).customers(), "the same customers as the default import");
        }
    }

    @Test
    void top_products_by_net_revenue_agree_with_plain_sql_over_the_raw_file_and_add_up_to_the_store() throws Exception {
        JsonNode doc = json(clv("products", "--db", db.toString(), "--top", "10", "--json"));
        JsonNode products = doc.get("products");

        // Independent check over every line of the file: cancellations (C invoices, often on the same day)
        // netted by their negative quantities; postage, fees, discounts, manual lines and vouchers left out.
        List<String> codes = new ArrayList<>();
        List<Double> revenue = new ArrayList<>();
        try (Engine engine = Engine.open(db); Connection c = engine.connect(); PreparedStatement ps = c.prepareStatement("""
                SELECT StockCode, sum(Quantity * UnitPrice) AS net
                FROM read_csv(?, header = true)
                WHERE StockCode NOT IN ('POST', 'DOT', 'M', 'm', 'D', 'S', 'B', 'C2', 'CRUK', 'PADS', 'BANK CHARGES', 'AMAZONFEE')
                  AND StockCode NOT LIKE 'gift%'
                GROUP BY StockCode ORDER BY net DESC LIMIT 10
                """)) {
            ps.setString(1, csv.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    codes.add(rs.getString(1));
                    revenue.add(rs.getDouble(2));
                }
            }
        }
        assertEquals(10, products.size());
        for (int i = 0; i < codes.size(); i++) {
            JsonNode m = products.get(i).get("metrics");
            assertEquals(codes.get(i), m.get("productCode").asText(), "rank " + (i + 1));
            assertEquals(revenue.get(i), m.get("netRevenue").asDouble(), 0.005, "net revenue of " + codes.get(i));
            assertEquals(i + 1, m.get("rank").asInt());
        }
        List<String> apart = new ArrayList<>();
        doc.get("nonProductLines").forEach(l -> apart.add(l.get("productCode").asText()));
        assertTrue(apart.containsAll(List.of("DOT", "POST", "M", "AMAZONFEE")), "postage and fees are reported apart: " + apart);

        try (Engine engine = Engine.open(db)) {
            ProductAnalytics pa = ProductAnalytics.of(engine);
            DateWindow all = pa.fullHistory();
            double sum = pa.calculateCatalogueMetrics(all, Period.WINDOW).stream().mapToDouble(ProductMetrics::netRevenue).sum();
            StoreRevenue store = pa.storeRevenue(all);
            assertEquals(store.productRevenue(), sum, 0.01, "sum of product revenue = the store's product revenue");
            double other = pa.nonProductLines(all).stream().mapToDouble(NonProductLine::netRevenue).sum();
            assertEquals(store.netRevenue(), sum + other, 0.01, "products + non-product lines = the store's net revenue");
        }
    }

    @Test
    void green_and_pink_regency_teacups_are_a_strong_pair_over_all_invoices_without_cancellations() throws Exception {
        JsonNode doc = json(clv("product", GREEN, "--db", db.toString(), "--related", "50", "--json"));
        JsonNode rule = null;
        for (JsonNode r : doc.get("relatedProducts")) {
            if (r.get("consequentCode").asText().equals(PINK)) {
                rule = r;
            }
        }
        assertTrue(rule != null, "PINK is among GREEN's related products: " + doc.get("relatedProducts"));
        assertEquals("PINK REGENCY TEACUP AND SAUCER", rule.get("consequentName").asText());
        assertEquals(0.62, rule.get("confidence").asDouble(), 0.01);
        assertEquals(17.0, rule.get("lift").asDouble(), 0.5);

        // Plain SQL over the raw file: baskets are invoices with a sale line (no C invoice, no negative line).
        try (Engine engine = Engine.open(db); Connection c = engine.connect(); PreparedStatement ps = c.prepareStatement("""
                WITH b AS (
                    SELECT DISTINCT InvoiceNo, trim(StockCode) AS code FROM read_csv(?, header = true)
                    WHERE Quantity >= 0 AND UnitPrice >= 0 AND NOT regexp_full_match(InvoiceNo, 'C[0-9]+')
                ),
                g AS (SELECT InvoiceNo FROM b WHERE code = ?),
                p AS (SELECT InvoiceNo FROM b WHERE code = ?)
                SELECT (SELECT count(*) FROM g JOIN p USING (InvoiceNo)) AS both_count,
                       (SELECT count(*) FROM g) AS g, (SELECT count(*) FROM p) AS p,
                       (SELECT count(DISTINCT InvoiceNo) FROM b) AS n
                """)) {
            ps.setString(1, csv.toString());
            ps.setString(2, GREEN);
            ps.setString(3, PINK);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long both = rs.getLong("both_count");
                assertEquals(633, both, "GREEN in 1,015 invoices, PINK in 766, both in 633 (of 20,726)");
                assertEquals(both, rule.get("basketsBoth").asLong());
                assertEquals((double) both / rs.getLong("g"), rule.get("confidence").asDouble(), 1e-9);
                assertEquals((double) both * rs.getLong("n") / ((double) rs.getLong("g") * rs.getLong("p")),
                        rule.get("lift").asDouble(), 1e-9);
            }
        }
    }
}
