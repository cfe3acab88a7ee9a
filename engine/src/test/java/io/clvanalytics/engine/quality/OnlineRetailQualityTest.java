package io.clvanalytics.engine.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.cli.ClvCli;
import io.clvanalytics.engine.testdata.SharedData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * UCI Online Retail (Chen 2015, UCI ML Repository dataset 352, CC BY 4.0) imported with
 * {@code clv import --on-error skip}: the checks report its known problems, each count computed
 * independently with plain SQL over the raw file.
 */
class OnlineRetailQualityTest {

    @TempDir
    Path dir;

    @Test
    void the_known_problems_of_online_retail_are_reported_with_their_counts() throws Exception {
        Path file = SharedData.file("online_retail/online_retail.csv.gz");
        Path db = dir.resolve("retail.duckdb");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ClvCli.run(new String[] {"import", "--db", db.toString(), "--on-error", "skip", "--rejects",
                dir.resolve("rejects.csv").toString(), file.toString()}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, "the import passes the batch checks: " + err);

        Clock dayAfter = Clock.fixed(LocalDate.of(2011, 12, 10).atStartOfDay().toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        try (Engine engine = Engine.open(db, dayAfter); Connection c = engine.connect()) {
            String raw = "read_csv('" + file + "')";
            long noCustomer = raw(c, "SELECT count(*) FROM " + raw + " WHERE CustomerID IS NULL");
            long returns = raw(c, "SELECT count(*) FROM " + raw + " WHERE CustomerID IS NOT NULL AND (InvoiceNo LIKE 'C%' OR Quantity < 0)");
            long cancellations = raw(c, "SELECT count(*) FROM " + raw + " WHERE CustomerID IS NOT NULL AND InvoiceNo LIKE 'C%'");
            long negativeQuantities = raw(c, "SELECT count(*) FROM " + raw + " WHERE CustomerID IS NOT NULL AND Quantity < 0");
            long zeroPrices = raw(c, "SELECT count(*) FROM " + raw + " WHERE CustomerID IS NOT NULL AND UnitPrice = 0");
            long negativePrices = raw(c, "SELECT count(*) FROM " + raw + " WHERE CustomerID IS NOT NULL AND UnitPrice < 0");
            // The non-product codes of the dataset (postage, discount, manual, bank charges, Amazon fee, carriage,
            // charity, ...), as listed in its documentation and the import's defaults.
            long nonProduct = raw(c, "SELECT count(*) FROM " + raw + " WHERE CustomerID IS NOT NULL AND regexp_full_match(StockCode,"
                    + " '(?i)POST|DOT|M|D|S|B|C2|CRUK|PADS|BANK CHARGES|AMAZONFEE|ADJUST\\d*|TEST\\d*|gift_.*')");
            // Extra copies of a line with the same invoice, stock code, quantity, time, price and customer: the store
            // keeps one product per stock code, so two pairs that differ only in Description count too (5,225 + 2).
            long duplicates = raw(c, "SELECT count(*) - count(DISTINCT (InvoiceNo, StockCode, Quantity, InvoiceDate, UnitPrice,"
                    + " CustomerID)) FROM " + raw + " WHERE CustomerID IS NOT NULL");
            long withCustomer = raw(c, "SELECT count(*) FROM " + raw + " WHERE CustomerID IS NOT NULL");
            assertEquals(135_080, noCustomer, "published figure");

            QualityRun run = DataQuality.of(engine).run();

            CheckResult rejects = run.result("source.import_rejects").orElseThrow();
            assertEquals(noCustomer, rejects.offendingRows());
            assertEquals(Status.WARN, rejects.status());
            assertEquals(Map.of("missing customer id", noCustomer), rejects.sample().get(0).get("rejected_by_reason"));

            CheckResult ret = run.result("source.returns").orElseThrow();
            assertEquals(returns, ret.offendingRows());
            assertTrue(ret.message().contains("cancellation lines: " + cancellations), ret.message());
            assertTrue(ret.message().contains("negative quantities: " + negativeQuantities), ret.message());

            CheckResult price = run.result("validity.unit_price").orElseThrow();
            assertEquals(zeroPrices + negativePrices, price.offendingRows());
            assertTrue(price.message().contains("zero: " + zeroPrices), price.message());
            assertEquals(Status.WARN, price.status());

            CheckResult fees = run.result("source.non_product_lines").orElseThrow();
            assertEquals(nonProduct, fees.offendingRows());
            assertTrue(fees.message().contains("POST ("), fees.message());
            assertEquals(Status.WARN, fees.status());

            CheckResult dup = run.result("uniqueness.duplicate_lines").orElseThrow();
            assertEquals(duplicates, dup.offendingRows());
            assertEquals(100.0 * duplicates / withCustomer, dup.metric(), 1e-9);
            assertEquals(Status.FAIL, dup.status());

            assertEquals(Status.PASS, run.result("referential.transaction_customer").orElseThrow().status());
            assertEquals(Status.PASS, run.result("freshness.newest_transaction").orElseThrow().status());
        }
    }

    private static long raw(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
