package io.clvanalytics.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.clvanalytics.engine.Engine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProductCommandsTest {

    @TempDir
    Path dir;
    Path db;

    @BeforeEach
    void store() throws Exception {
        db = dir.resolve("p.duckdb");
        try (Engine engine = Engine.open(db); Connection c = engine.connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO products (id, source_id, name, is_product) VALUES (1, 'MUG', 'Blue mug', true),"
                    + " (2, 'CUP', 'Blue cup', true), (3, 'POST', 'Postage', false)");
            // 18 months: MUG in half the orders, CUP in a quarter and always with MUG (lift 2), postage everywhere.
            st.execute("""
                    INSERT INTO transactions (id, customer_id, product_id, order_id, date, quantity, unit_price, amount, is_return, batch_id)
                    SELECT row_number() OVER (), 1 + i % 25, p, 'o' || i, DATE '2023-01-01' + (i % 540)::INTEGER, 1, 4, 4, false, 1
                    FROM range(0, 1080) r(i), (VALUES (1), (2), (3)) v(p)
                    WHERE p = 3 OR (p = 1 AND i % 4 IN (0, 1)) OR (p = 2 AND i % 4 = 0)
                    """);
        }
    }

    private record Run(int code, String out, String err) {}

    private Run clv(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ClvCli.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void clv_products_on_a_store_without_products_exits_0_with_an_empty_catalogue() throws Exception {
        // CDNOW's shape: customer, date, quantity and amount, no product id.
        Path file = dir.resolve("cdnow-like.csv");
        java.nio.file.Files.writeString(file, "customer_id,date,quantity,amount\n1,1997-01-01,1,11.77\n2,1997-01-12,5,77.00\n1,1997-03-02,2,20.76\n");
        Path store = dir.resolve("no-products.duckdb");
        assertEquals(0, clv("import", "--db", store.toString(), file.toString()).code());
        Run r = clv("products", "--db", store.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("0 of 0 shown"), r.out());
        Run json = clv("products", "--db", store.toString(), "--json");
        assertEquals(0, json.code(), json.err());
        assertEquals(0, Output.mapper().readTree(json.out()).get("products").size());
    }

    @Test
    void clv_products_lists_products_by_net_revenue_with_their_stage_and_leaves_postage_out() throws Exception {
        Run r = clv("products", "--db", db.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode doc = Output.mapper().readTree(r.out());
        JsonNode products = doc.get("products");
        assertEquals(2, products.size());
        assertEquals("MUG", products.get(0).get("lifecycle").get("productCode").asText());
        assertEquals(540 * 4.0, products.get(0).get("metrics").get("netRevenue").asDouble(), 1e-9);
        assertEquals("maturity", products.get(0).get("lifecycle").get("stage").asText());
        assertEquals("POST", doc.get("nonProductLines").get(0).get("productCode").asText());

        Run table = clv("products", "--db", db.toString(), "--top", "1", "--sort", "code");
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().contains("CUP") && !table.out().contains("MUG"), table.out());
    }

    @Test
    void clv_products_filters_by_stage_and_refuses_an_unknown_stage_or_sort_key() {
        Run none = clv("products", "--db", db.toString(), "--stage", "decline", "--json");
        assertEquals(0, none.code(), none.err());
        assertTrue(none.out().contains("\"productsMatching\" : 0"), none.out());
        Run bad = clv("products", "--db", db.toString(), "--stage", "boom");
        assertEquals(ClvCli.EXIT_BAD_INPUT, bad.code());
        assertTrue(bad.err().contains("--stage: unknown lifecycle stage (boom)"), bad.err());
        Run badSort = clv("products", "--db", db.toString(), "--sort", "name; DROP TABLE products");
        assertEquals(ClvCli.EXIT_BAD_INPUT, badSort.code());
    }

    @Test
    void clv_product_shows_metrics_trend_stage_history_and_related_products() throws Exception {
        Run r = clv("product", "MUG", "--db", db.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("stage maturity"), r.out());
        assertTrue(r.out().contains("monthly trend") && r.out().contains("2024-05"), r.out());
        assertTrue(r.out().contains("CUP"), "CUP is related to MUG: " + r.out());

        Run json = clv("product", "CUP", "--db", db.toString(), "--json");
        assertEquals(0, json.code(), json.err());
        JsonNode doc = Output.mapper().readTree(json.out());
        assertEquals(270 * 4.0, doc.get("metrics").get("netRevenue").asDouble(), 1e-9);
        assertEquals(17, doc.get("lifecycle").get("series").size(), "sales end on 23 June 2024: 17 complete months");
    }

    @Test
    void the_thresholds_are_options_and_bad_ones_are_refused() throws Exception {
        JsonNode byDefault = Output.mapper().readTree(clv("product", "MUG", "--db", db.toString(), "--json").out());
        assertEquals("CUP", byDefault.get("relatedProducts").get(0).get("consequentCode").asText());
        assertEquals(2.0, byDefault.get("relatedProducts").get(0).get("lift").asDouble(), 1e-9);
        Run strict = clv("product", "MUG", "--db", db.toString(), "--min-lift", "2.5", "--json");
        assertEquals(0, strict.code(), strict.err());
        assertEquals(0, Output.mapper().readTree(strict.out()).get("relatedProducts").size(), "lift 2 is under --min-lift 2.5");

        Run young = clv("products", "--db", db.toString(), "--introduction-months", "24", "--json");
        assertEquals(0, young.code(), young.err());
        assertEquals("introduction", Output.mapper().readTree(young.out()).get("products").get(0).get("lifecycle").get("stage").asText(),
                "18 months old is still introduction with --introduction-months 24");

        Run bad = clv("products", "--db", db.toString(), "--discontinued-months", "0");
        assertEquals(ClvCli.EXIT_BAD_INPUT, bad.code());
        assertTrue(bad.err().contains("discontinuedMonths must be >= 1 (0)"), bad.err());
        Run badAbc = clv("products", "--db", db.toString(), "--abc", "0.9");
        assertEquals(ClvCli.EXIT_BAD_INPUT, badAbc.code());
        assertTrue(badAbc.err().contains("--abc: two shares as A:B"), badAbc.err());
    }

    @Test
    void clv_product_names_an_unknown_product() {
        Run r = clv("product", "NOPE", "--db", db.toString());
        assertEquals(ClvCli.EXIT_BAD_INPUT, r.code());
        assertTrue(r.err().contains("no product has the code or id NOPE"), r.err());
    }
}
