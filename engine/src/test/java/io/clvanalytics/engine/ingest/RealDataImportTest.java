package io.clvanalytics.engine.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.testdata.SharedData;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real data sets of ../shared/data import as they are, with the counts their SOURCE.md files
 * state (CDNOW: Fader & Hardie's master file; UCI Online Retail, Chen 2015; Tableau Superstore).
 */
class RealDataImportTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-15T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private ImportResult importWith(ImportOptions options) {
        try (Engine e = Engine.open(dir.resolve("store.duckdb"), CLOCK)) {
            return Importer.into(e).run(options);
        }
    }

    private long count(String sql) {
        return Stores.count(dir.resolve("store.duckdb"), sql);
    }

    @Test
    void cdnowMasterImportsEveryPurchaseOfEveryCustomer() {
        ImportResult r = importWith(ImportOptions.builder(SharedData.file("cdnow/CDNOW_master.txt")).build());
        assertEquals(69_659, r.rowsRead());
        assertEquals(69_659, r.rowsImported(), "exact duplicate lines are kept by default");
        assertEquals(255, r.duplicateLines(), "CDNOW has 255 lines repeating an earlier line exactly");
        assertEquals(23_570, r.customersCreated());
        assertEquals(69_659, count("SELECT count(*) FROM transactions"));
        assertEquals(23_570, count("SELECT count(*) FROM customers"));
        assertEquals(250_031_563, count("SELECT CAST(sum(amount) * 100 AS BIGINT) FROM transactions"), "sum of dollar_value = 2,500,315.63");
        assertEquals(167_881, count("SELECT CAST(sum(quantity) AS BIGINT) FROM transactions"));
        assertEquals(19970101, count("SELECT CAST(strftime(min(date), '%Y%m%d') AS BIGINT) FROM transactions"));
        assertEquals(19980630, count("SELECT CAST(strftime(max(date), '%Y%m%d') AS BIGINT) FROM transactions"));
        assertEquals(1, count("SELECT count(*) FROM customers WHERE source_id = '23570' AND acquisition_date = DATE '1997-03-25'"
                + " AND last_transaction_date = DATE '1997-03-26'"), "the last customer's first and last purchase dates");
    }

    @Test
    void cdnowMasterWithDuplicatesRejectedKeepsOneOfEachRepeatedLine() {
        ImportResult r = importWith(ImportOptions.builder(SharedData.file("cdnow/CDNOW_master.txt"))
                .duplicates(ImportOptions.Duplicates.REJECT).onError(ImportOptions.OnError.SKIP)
                .rejectsFile(dir.resolve("dups.csv")).build());
        assertEquals(69_659 - 255, r.rowsImported());
        assertEquals(Map.of("exact duplicate line", 255L), r.rejectedByRule());
        assertEquals(23_570, count("SELECT count(*) FROM customers"));
    }

    @Test
    void cdnowSampleWithoutHeaderMapsColumnsByPosition() {
        ImportResult r = importWith(ImportOptions.builder(SharedData.file("cdnow/CDNOW_sample.txt"))
                .map(Field.CUSTOMER_ID, "1").map(Field.DATE, "3").map(Field.QUANTITY, "4").map(Field.AMOUNT, "5").build());
        assertEquals(6_919, r.rowsImported());
        assertEquals(2_357, r.customersCreated());
        assertEquals(1, count("SELECT count(*) FROM customers WHERE source_id = '00004'"), "ids are the master file's, as written");
    }

    @Test
    void onlineRetailCsvImportsRowsWithACustomerAndReportsTheRestByReason() {
        Path rejects = dir.resolve("rejects.csv");
        ImportResult r = importWith(ImportOptions.builder(SharedData.file("online_retail/online_retail.csv.gz"))
                .onError(ImportOptions.OnError.SKIP).rejectsFile(rejects).build());
        assertOnlineRetail(r, 2);
        assertEquals(135_080, Stores.count(dir.resolve("store.duckdb"),
                "SELECT count(*) FROM read_csv('" + rejects + "') WHERE rule = 'missing customer id' AND \"column\" = 'CustomerID'"));
    }

    @Test
    void onlineRetailParquetImportsTheSameAsItsCsv() {
        ImportResult r = importWith(ImportOptions.builder(SharedData.file("online_retail/online_retail.parquet"))
                .onError(ImportOptions.OnError.SKIP).rejectsFile(dir.resolve("rejects.csv")).build());
        assertOnlineRetail(r, 1);
        assertEquals(1, count("SELECT count(*) FROM customers WHERE source_id = '17850'"), "CustomerID 17850.0 in Parquet reads as 17850");
    }

    /** {@code firstLine}: where the first row is, 2 in the CSV (after the header), row 1 in Parquet. */
    private void assertOnlineRetail(ImportResult r, int firstLine) {
        assertEquals(541_909, r.rowsRead());
        assertEquals(541_909 - 135_080, r.rowsImported());
        assertEquals(Map.of("missing customer id", 135_080L), r.rejectedByRule());
        assertEquals(4_372, r.customersCreated());
        assertEquals(5_268, r.duplicateLines());
        // Every line of a C invoice is kept and marked as a return (3,654 of the 3,836 C invoices have a customer id).
        long cancellationLines = count("SELECT count(*) FROM transactions WHERE order_id LIKE 'C%'");
        assertTrue(cancellationLines > 8_000, "cancellation lines kept: " + cancellationLines);
        assertEquals(cancellationLines, count("SELECT count(*) FROM transactions WHERE order_id LIKE 'C%' AND is_return"));
        assertEquals(0, count("SELECT count(*) FROM transactions WHERE quantity < 0 AND NOT is_return"));
        assertEquals(0, count("SELECT count(*) FROM products WHERE source_id IN ('POST', 'D', 'M', 'BANK CHARGES', 'AMAZONFEE', 'DOT', 'CRUK') AND is_product"));
        assertEquals(1, count("SELECT count(*) FROM products WHERE source_id = '85123A' AND is_product"));
        assertEquals(r.rowsImported(), count("SELECT count(*) FROM transactions WHERE product_id IS NOT NULL AND ts IS NOT NULL"));
        assertEquals(1, count("SELECT count(*) FROM transactions WHERE order_id = '536365' AND ts = TIMESTAMP '2010-12-01 08:26:00'"
                + " AND amount = 15.30 AND country = 'United Kingdom' AND source_line = " + firstLine), "first row: 6 x 2.55");
    }

    @Test
    void superstoreWithBomAndDayFirstDatesImportsOrdersCustomersAndProducts() {
        ImportResult r = importWith(ImportOptions.builder(SharedData.file("superstore/sample_superstore_orders.csv")).build());
        assertEquals(10_194, r.rowsImported());
        assertEquals("%d/%m/%y", r.dateFormat());
        assertEquals(804, count("SELECT count(*) FROM customers"));
        assertEquals(1_862, count("SELECT count(*) FROM products"));
        assertEquals(232_653_435, count("SELECT CAST(round(sum(amount) * 100) AS BIGINT) FROM transactions"), "sum of Sales = 2,326,534.35");
        assertEquals(20190103, count("SELECT CAST(strftime(min(date), '%Y%m%d') AS BIGINT) FROM transactions"));
        assertEquals(20221230, count("SELECT CAST(strftime(max(date), '%Y%m%d') AS BIGINT) FROM transactions"));
        assertEquals(1, count("SELECT count(*) FROM customers WHERE source_id = 'DP-13000' AND name = 'Darren Powers' AND segment = 'Consumer'"));
        assertEquals(17, count("SELECT count(DISTINCT subcategory) FROM products"));
        assertEquals(0, count("SELECT count(*) FROM transactions WHERE is_return"), "Superstore order ids (CA-..., US-...) are not cancellations");
    }
}
