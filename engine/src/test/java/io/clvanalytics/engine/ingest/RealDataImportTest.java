package io.clvanalytics.engine.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.testdata.SharedData;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
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

    /**
     * Issue 16's check: the Online Retail CSV, its Parquet and an XLSX made from a slice import with {@code --on-error
     * skip} and {@code --missing-customer guest} as the command line runs them (the store's data-quality rules on),
     * without touching any check, and give the same customer ids.
     */
    @Test
    void onlineRetailAsCsvParquetAndXlsxImportsWithSkipAndGuestsGivingTheSameCustomerIds() throws Exception {
        Path csv = SharedData.file("online_retail/online_retail.csv.gz");
        Path parquet = SharedData.file("online_retail/online_retail.parquet");
        List<String> ids = new ArrayList<>();
        for (Path f : List.of(csv, parquet)) {
            Path store = dir.resolve(f.getFileName() + ".duckdb");
            Stores.CliRun run = Stores.clv("import", "--db", store.toString(), "--on-error", "skip", "--missing-customer", "guest", f.toString());
            assertEquals(0, run.exitCode(), f + ": " + run.err());
            assertEquals(541_909, Stores.count(store, "SELECT count(*) FROM transactions"));
            assertEquals(135_080, Stores.count(store, "SELECT count(*) FROM transactions WHERE customer_id IS NULL"));
            try (Engine e = Engine.open(store)) {
                ids.add(Stores.text(e, "SELECT md5(string_agg(source_id, ',' ORDER BY source_id)) FROM customers"));
                assertEquals(4_372, Stores.count(e, "SELECT count(*) FROM customers"));
                assertEquals(0, Stores.count(e, "SELECT count(*) FROM customers WHERE source_id LIKE '%.%'"));
            }
        }
        assertEquals(ids.get(0), ids.get(1), "the same customer ids from CSV and Parquet");

        // An XLSX of the first 3,000 rows as Excel keeps them: CustomerID a number cell, InvoiceDate a date cell.
        Path xlsx = dir.resolve("online_retail_slice.xlsx");
        Path sliceStore = dir.resolve("slice.duckdb");
        try (Engine e = Engine.open(sliceStore); Connection c = e.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM read_parquet('" + parquet + "') LIMIT 3000");
             XSSFWorkbook wb = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(xlsx)) {
            Sheet sheet = wb.createSheet("Online Retail");
            CellStyle dateStyle = wb.createCellStyle();
            dateStyle.setDataFormat(wb.getCreationHelper().createDataFormat().getFormat("m/d/yyyy h:mm"));
            int n = rs.getMetaData().getColumnCount();
            Row header = sheet.createRow(0);
            for (int i = 1; i <= n; i++) {
                header.createCell(i - 1).setCellValue(rs.getMetaData().getColumnName(i));
            }
            for (int r = 1; rs.next(); r++) {
                Row row = sheet.createRow(r);
                for (int i = 1; i <= n; i++) {
                    Object v = rs.getObject(i);
                    if (v == null) {
                        continue;
                    }
                    Cell cell = row.createCell(i - 1);
                    if (v instanceof Number num) {
                        cell.setCellValue(num.doubleValue());
                    } else if (rs.getMetaData().getColumnName(i).equals("InvoiceDate")) {
                        cell.setCellValue(LocalDateTime.parse(v.toString().replace(' ', 'T')));
                        cell.setCellStyle(dateStyle);
                    } else {
                        cell.setCellValue(v.toString());
                    }
                }
            }
            wb.write(out);
        }
        Path xlsxStore = dir.resolve("xlsx.duckdb");
        Stores.CliRun run = Stores.clv("import", "--db", xlsxStore.toString(), "--on-error", "skip", "--missing-customer", "guest", xlsx.toString());
        assertEquals(0, run.exitCode(), run.err());
        String slice = "SELECT string_agg(DISTINCT source_id, ',' ORDER BY source_id) FROM customers WHERE source_id IN (SELECT DISTINCT"
                + " CAST(CAST(CustomerID AS BIGINT) AS VARCHAR) FROM (SELECT * FROM read_parquet('" + parquet + "') LIMIT 3000))";
        try (Engine fromXlsx = Engine.open(xlsxStore)) {
            assertEquals(3_000, Stores.count(fromXlsx, "SELECT count(*) FROM transactions"));
            String xlsxIds = Stores.text(fromXlsx, "SELECT string_agg(source_id, ',' ORDER BY source_id) FROM customers");
            try (Engine fromParquet = Engine.open(dir.resolve(parquet.getFileName() + ".duckdb"))) {
                assertEquals(Stores.text(fromParquet, slice), xlsxIds, "the slice's customers, with the same ids as the Parquet import");
            }
        }
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
