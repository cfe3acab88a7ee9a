package io.clvanalytics.engine.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.StoreInfo;
import io.clvanalytics.engine.cli.ClvCli;
import io.clvanalytics.engine.clv.RfmSummary;
import io.clvanalytics.engine.retention.RetentionService;
import io.clvanalytics.engine.retention.RetentionSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clv import --missing-customer guest}: lines without a customer id are kept as guest
 * purchases. Product metrics and baskets count them; customers, CLV and retention do not.
 */
class GuestPurchasesTest {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static Run clv(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ClvCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    /**
     * Online Retail's layout: 6 guest invoices with a mug and a cup, one invoice with both by each of
     * customers C1 and C2, 6 invoices of a pen by C1 and C2, and a guest cancellation of one mug.
     */
    private Path file() throws Exception {
        StringBuilder csv = new StringBuilder("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n");
        for (int i = 1; i <= 8; i++) {
            String customer = i <= 6 ? "" : "C" + (i - 6);
            csv.append("10").append(i).append(",MUG,Blue mug,1,2024-03-0").append(i).append(" 10:00,5.00,").append(customer).append(",UK\n");
            csv.append("10").append(i).append(",CUP,Blue cup,2,2024-03-0").append(i).append(" 10:00,3.00,").append(customer).append(",UK\n");
        }
        for (int i = 1; i <= 6; i++) {
            csv.append("20").append(i).append(",PEN,Pen,1,2024-04-0").append(i).append(" 11:00,1.00,C").append(1 + i % 2).append(",UK\n");
        }
        csv.append("C301,MUG,Blue mug,-1,2024-03-02 12:00,5.00,,UK\n");
        Path f = dir.resolve("retail.csv");
        Files.writeString(f, csv);
        return f;
    }

    @Test
    void guest_lines_count_in_product_metrics_and_baskets_but_not_as_customers() throws Exception {
        Path csv = file();
        Path db = dir.resolve("g.duckdb");
        Run refused = clv("import", "--db", db.toString(), csv.toString());
        assertEquals(ClvCli.EXIT_BAD_INPUT, refused.code(), "by default a row without a customer id is a bad row");
        assertTrue(refused.err().contains("missing customer id"), refused.err());

        Run r = clv("import", "--db", db.toString(), "--missing-customer", "guest", csv.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*guest lines \\(no customer id\\)\\s*\\|?\\s*13\\b.*"), r.out());

        try (Engine engine = Engine.open(db)) {
            StoreInfo info = StoreInfo.of(engine);
            assertEquals(2, info.customers(), "guests are not customers");
            assertEquals(23, info.transactions());

            ProductAnalytics pa = ProductAnalytics.of(engine);
            Map<String, ProductMetrics> m = pa.calculateCatalogueMetrics(pa.fullHistory(), Period.WINDOW).stream()
                    .collect(Collectors.toMap(ProductMetrics::productCode, Function.identity()));
            ProductMetrics mug = m.get("MUG");
            assertEquals(7 * 5.0, mug.netRevenue(), 1e-9, "8 mugs sold, one cancelled by a guest");
            assertEquals(8, mug.orders(), "guest invoices are orders");
            assertEquals(2, mug.customers(), "C1 and C2; guests are not customers");
            assertEquals(5 * 5.0, mug.guestRevenue(), 1e-9);
            assertEquals(mug.netRevenue(), mug.newCustomerRevenue() + mug.returningCustomerRevenue() + mug.guestRevenue(), 1e-9);
            assertEquals(0.0, mug.repeatPurchaseRate(), 1e-9, "C1 and C2 bought one mug each; guests are no repeat buyer");
            assertEquals(pa.storeRevenue(pa.fullHistory()).netRevenue(), 7 * 5.0 + 8 * 6.0 + 6 * 1.0, 1e-9);

            pa.computeAffinity(pa.fullHistory());
            Map<String, AssociationRule> related = pa.relatedProducts(pa.resolveProduct("MUG"), 5).stream()
                    .collect(Collectors.toMap(AssociationRule::consequentCode, Function.identity()));
            AssociationRule cup = related.get("CUP");
            assertTrue(cup != null, "the pair is found only because the guest baskets count: " + related);
            assertEquals(8, cup.basketsBoth());
            assertEquals(14.0 / 8, cup.lift(), 1e-9, "14 sale baskets, 8 with a mug, 8 with a cup, 8 with both");

            try (Connection c = engine.connect()) {
                RfmSummary.Window w = RfmSummary.create(c, RfmSummary.Options.wholeHistory());
                assertEquals(2, w.customers(), "the CLV summary reads only customers' lines");
            }
            assertEquals(2, RetentionService.of(engine).score(RetentionSettings.defaults()).customers());
        }
        Run quality = clv("quality", "--db", db.toString(), "--check", "completeness.transactions",
                "--check", "referential.transaction_customer");
        assertEquals(0, quality.code(), quality.out() + quality.err());
        assertEquals(2, List.of(quality.out().split("\n")).stream().filter(l -> l.matches("\\S+\\s+high\\s+pass\\b.*")).count(),
                "guest lines are neither incomplete nor orphans: " + quality.out());
    }
}
