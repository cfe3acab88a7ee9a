package io.clvanalytics.engine.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.Engine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoDataGeneratorTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T12:00:00Z"), ZoneOffset.UTC);
    private static final String CHECKSUM = "SELECT count(*) || ':' || sum(hash(id, customer_id, product_id, order_id,"
            + " date, ts, quantity, unit_price, amount, is_return)) FROM transactions";

    @TempDir
    Path dir;

    private DemoDataGenerator.Summary generate(String name, GeneratorConfig cfg, int threads) {
        try (Engine engine = Engine.open(dir.resolve(name), CLOCK)) {
            return DemoDataGenerator.generate(engine, cfg, DemoDataGenerator.ProgressListener.NONE, threads);
        }
    }

    private String query(String name, String sql) throws SQLException {
        try (Engine engine = Engine.open(dir.resolve(name), CLOCK); Connection c = engine.connect();
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void theSameSeedGivesIdenticalTransactionsWhateverTheThreadCountAndAnotherSeedDoesNot() throws Exception {
        generate("a.duckdb", GeneratorConfig.defaults(1500, 7), 1);
        generate("b.duckdb", GeneratorConfig.defaults(1500, 7), 3);
        generate("c.duckdb", GeneratorConfig.defaults(1500, 8), 2);
        String a = query("a.duckdb", CHECKSUM);
        assertEquals(a, query("b.duckdb", CHECKSUM));
        assertNotEquals(a, query("c.duckdb", CHECKSUM));
        String truth = "SELECT sum(hash(customer_id, \"lambda\", p, nu, dropout_date)) FROM generated_customer_truth";
        assertEquals(query("a.duckdb", truth), query("b.duckdb", truth));
    }

    @Test
    void countsDatesAndCustomerFactsAreConsistent() throws Exception {
        GeneratorConfig cfg = GeneratorConfig.defaults(3000, 11).withProducts(40)
                .withDates(LocalDate.of(2023, 1, 1), LocalDate.of(2024, 12, 31));
        DemoDataGenerator.Summary s = generate("s.duckdb", cfg, 2);
        assertEquals(3000, s.customers());
        assertEquals(40, s.products());
        assertTrue(s.transactions() > 3000 * 2, "several lines per customer: " + s.transactions());
        try (Engine engine = Engine.open(dir.resolve("s.duckdb"), CLOCK); Connection c = engine.connect();
             Statement st = c.createStatement()) {
            assertEquals(3000L, one(st, "SELECT count(*) FROM customers"));
            assertEquals(40L, one(st, "SELECT count(*) FROM products WHERE name IS NOT NULL AND category IS NOT NULL"
                    + " AND subcategory IS NOT NULL"));
            assertEquals(s.transactions(), one(st, "SELECT count(*) FROM transactions"));
            assertEquals(0L, one(st, "SELECT count(*) FROM transactions WHERE date < DATE '2023-01-01'"
                    + " OR date > DATE '2024-12-31' OR product_id NOT BETWEEN 1 AND 40"
                    + " OR customer_id NOT BETWEEN 1 AND 3000"));
            assertEquals(s.transactions(), one(st, "SELECT count(DISTINCT id) FROM transactions"));
            // acquisition = first purchase, last_transaction_date = last purchase (returns excluded)
            assertEquals(0L, one(st, """
                    SELECT count(*) FROM customers c JOIN (
                        SELECT customer_id, min(date) f, max(date) l FROM transactions WHERE NOT is_return GROUP BY 1) t
                      ON t.customer_id = c.id
                    WHERE c.acquisition_date <> t.f OR c.last_transaction_date <> t.l"""));
            assertEquals(3000L, one(st, "SELECT count(DISTINCT customer_id) FROM transactions"));
            assertTrue(one(st, "SELECT count(DISTINCT country) FROM customers") >= 10);
            assertTrue(one(st, "SELECT count(DISTINCT year(acquisition_date)) FROM customers") == 2);
            // line amounts are quantity x unit price (to the cent) and positive unless returned
            assertEquals(0L, one(st, "SELECT count(*) FROM transactions WHERE abs(quantity * unit_price - amount) > 0.01"
                    + " OR (amount <= 0) <> is_return"));
        }
    }

    @Test
    void everyReturnReversesAnEarlierPurchaseOfTheSameCustomerAndProduct() throws Exception {
        generate("r.duckdb", GeneratorConfig.defaults(3000, 5).withReturnRate(0.05), 2);
        try (Engine engine = Engine.open(dir.resolve("r.duckdb"), CLOCK); Connection c = engine.connect();
             Statement st = c.createStatement()) {
            long returns = one(st, "SELECT count(*) FROM transactions WHERE is_return");
            long lines = one(st, "SELECT count(*) FROM transactions WHERE NOT is_return");
            assertTrue(returns > 0.02 * lines && returns < 0.06 * lines, returns + " returns of " + lines);
            assertEquals(0L, one(st, """
                    SELECT count(*) FROM transactions r WHERE r.is_return AND NOT EXISTS (
                      SELECT 1 FROM transactions o WHERE NOT o.is_return AND o.customer_id = r.customer_id
                        AND o.product_id = r.product_id AND o.order_id = 'O' || substr(r.order_id, 2)
                        AND o.date < r.date AND o.amount = -r.amount)"""));
        }
    }

    @Test
    void theTruthIsStoredWithTheData() throws Exception {
        GeneratorConfig cfg = GeneratorConfig.defaults(2000, 3).withProducts(50);
        generate("t.duckdb", cfg, 2);
        try (Engine engine = Engine.open(dir.resolve("t.duckdb"), CLOCK); Connection c = engine.connect();
             Statement st = c.createStatement()) {
            assertEquals(cfg, GeneratorConfig.fromJson(string(st, "SELECT value FROM store_meta WHERE key = 'generator'")));
            assertEquals(2000L, one(st, "SELECT count(*) FROM generated_customer_truth WHERE \"lambda\" > 0 AND p BETWEEN 0 AND 1"
                    + " AND nu > 0 AND (dropout_date IS NULL) = alive_at_end"));
            // a dropped-out customer's last purchase is the dropout date
            assertEquals(0L, one(st, "SELECT count(*) FROM generated_customer_truth g JOIN customers c ON c.id = g.customer_id"
                    + " WHERE NOT g.alive_at_end AND g.dropout_date <> c.last_transaction_date"));
            assertEquals("generated", string(st, "SELECT kind FROM import_batches"));
            assertEquals(one(st, "SELECT count(*) FROM transactions"), one(st, "SELECT rows_imported FROM import_batches"));
            Set<String> stages = new HashSet<>();
            try (ResultSet rs = st.executeQuery("SELECT DISTINCT stage_at_end FROM generated_product_truth")) {
                while (rs.next()) {
                    stages.add(rs.getString(1));
                }
            }
            assertEquals(Set.of("introduction", "growth", "maturity", "decline", "discontinued"), stages);
            assertEquals(50L, one(st, "SELECT count(*) FROM generated_product_truth g JOIN products p ON p.id = g.product_id"
                    + " WHERE p.launch_date = g.launch_date AND (g.discontinued_date IS NULL) = (g.stage_at_end <> 'discontinued')"));
            // discontinued products sell nothing after discontinuation, which lies at least 3 months before the end
            assertEquals(0L, one(st, "SELECT count(*) FROM transactions t JOIN generated_product_truth g ON g.product_id = t.product_id"
                    + " WHERE NOT t.is_return AND (t.date >= g.discontinued_date OR t.date < g.launch_date)"));
            assertEquals(0L, one(st, "SELECT count(*) FROM generated_product_truth WHERE discontinued_date > DATE '2025-12-31' - INTERVAL 3 MONTH"));
            // products in introduction were launched within the last five months
            assertEquals(0L, one(st, "SELECT count(*) FROM generated_product_truth WHERE stage_at_end = 'introduction'"
                    + " AND launch_date < DATE '2025-12-31' - INTERVAL 5 MONTH"));
        }
    }

    @Test
    void repeatPurchasesAndSpendMatchTheBgNbdAndGammaGammaProcess() throws Exception {
        // Without seasonality the process is exactly BG/NBD, where a customer observed for T weeks makes no
        // repeat purchase with probability (alpha / (alpha + T))^r (Fader, Hardie and Lee 2005, eq. 8 at x = 0),
        // and the mean order value is p * gamma / (q - 1) (Fader, Hardie and Lee 2005, "RFM and CLV", Gamma-Gamma).
        GeneratorConfig cfg = GeneratorConfig.defaults(6000, 21).withSeasonality(0).withReturnRate(0);
        generate("m.duckdb", cfg, 2);
        GeneratorConfig.BgNbd bg = cfg.bgnbd();
        try (Engine engine = Engine.open(dir.resolve("m.duckdb"), CLOCK); Connection c = engine.connect();
             Statement st = c.createStatement()) {
            String perCustomer = """
                    SELECT c.id, (DATE '2025-12-31' - c.acquisition_date + 1) / 7.0 AS t_weeks,
                           count(DISTINCT o.order_id) - 1 AS repeats
                    FROM customers c JOIN transactions o ON o.customer_id = c.id GROUP BY ALL""";
            double empiricalZero = dbl(st, "SELECT avg(CASE WHEN repeats = 0 THEN 1 ELSE 0 END) FROM (" + perCustomer + ")");
            double expectedZero = dbl(st, "SELECT avg(pow(" + bg.alpha() + " / (" + bg.alpha() + " + t_weeks), "
                    + bg.r() + ")) FROM (" + perCustomer + ")");
            assertEquals(expectedZero, empiricalZero, 0.03, "share of customers without a repeat purchase");
            double meanOrder = dbl(st, "SELECT avg(v) FROM (SELECT sum(amount) v FROM transactions GROUP BY order_id)");
            GeneratorConfig.GammaGamma gg = cfg.gammaGamma();
            assertEquals(gg.p() * gg.gamma() / (gg.q() - 1), meanOrder, 0.06 * meanOrder, "mean order value");
            double meanLambda = dbl(st, "SELECT avg(\"lambda\") FROM generated_customer_truth");
            assertEquals(bg.r() / bg.alpha(), meanLambda, 0.15 * bg.r() / bg.alpha());
        }
    }

    @Test
    void aStoreThatAlreadyHoldsDataIsRefusedAndLeftUnchanged() throws Exception {
        generate("full.duckdb", GeneratorConfig.defaults(1000, 1), 2);
        String before = query("full.duckdb", CHECKSUM);
        DataValidationException e = assertThrows(DataValidationException.class,
                () -> generate("full.duckdb", GeneratorConfig.defaults(1000, 2), 2));
        assertTrue(e.getMessage().contains("already holds data"), e.getMessage());
        assertEquals(before, query("full.duckdb", CHECKSUM));
        assertEquals("1", query("full.duckdb", "SELECT count(*) FROM import_batches"));
    }

    @Test
    void badParametersAreRefusedNamingTheOption() {
        GeneratorConfig future = GeneratorConfig.defaults(1000, 1).withDates(LocalDate.of(2025, 1, 1), LocalDate.of(2026, 12, 31));
        DataValidationException e = assertThrows(DataValidationException.class, () -> generate("f.duckdb", future, 1));
        assertTrue(e.getMessage().startsWith("--end: must not be in the future"), e.getMessage());
        GeneratorConfig badR = GeneratorConfig.defaults(1000, 1).withBgNbd(new GeneratorConfig.BgNbd(-1, 4, 0.8, 2.5));
        e = assertThrows(DataValidationException.class, () -> generate("f.duckdb", badR, 1));
        assertTrue(e.getMessage().startsWith("--r: must be a positive number"), e.getMessage());
    }

    private static long one(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static double dbl(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getDouble(1);
        }
    }

    private static String string(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
