package io.clvanalytics.engine.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.stream.Stream;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real data as a new user brings it (issue 16): retail exports with a reversed manual charge, ids a float column
 * turned into {@code 17448.0}, purchase logs without amounts, rejects kept out of the data folder, and refused
 * first imports that leave no store behind.
 */
class NewUserImportTest {

    /** The shape of Online Retail 2009-2010: a cancellation line with a positive quantity and amount and no customer. */
    private static final String RETAIL = """
            Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country
            489434,85048,15CM CHRISTMAS GLASS BALL 20 LIGHTS,12,2009-12-01 07:45:00,6.95,13085.0,United Kingdom
            489434,79323P,PINK CHERRY LIGHTS,12,2009-12-01 07:45:00,6.75,13085.0,United Kingdom
            C489449,22087,PAPER BUNTING WHITE LACE,-12,2009-12-01 10:33:00,2.95,16321.0,Australia
            C496350,M,Manual,1,2010-02-01 08:24:00,373.57,,United Kingdom
            489435,22350,CAT BOWL,12,2009-12-01 07:46:00,2.55,,United Kingdom
            489436,48173C,DOOR MAT BLACK FLOCK,10,2009-12-01 09:06:00,5.95,17448.0,United Kingdom
            """;

    @TempDir
    Path dir;

    private Path db() {
        return dir.resolve("store.duckdb");
    }

    private Path write(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void aReversedManualChargeIsRejectedWithItsRuleUnderSkipAndRefusesTheBatchUnderFail() throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path f = data.resolve("online_retail_II.csv");
        Files.writeString(f, RETAIL);

        Stores.CliRun refused = Stores.clv("import", "--db", db().toString(), "--missing-customer", "guest", f.toString());
        assertEquals(2, refused.exitCode(), refused.out());
        assertTrue(refused.err().contains(f + ":5:is_return: validity.return_sign (is_return true, quantity 1.0, amount 373.5700)"), refused.err());
        assertFalse(Files.exists(db()), "a refused first import leaves no store file");

        Stores.CliRun skip = Stores.clv("import", "--db", db().toString(), "--on-error", "skip", "--missing-customer", "guest", f.toString());
        assertEquals(0, skip.exitCode(), skip.err());
        assertTrue(skip.out().contains("validity.return_sign"), skip.out());
        assertEquals(5, Stores.count(db(), "SELECT count(*) FROM transactions"));
        assertEquals(0, Stores.count(db(), "SELECT count(*) FROM transactions WHERE order_id = 'C496350'"));

        // Rejects go beside the store, named by batch and time; the data folder is left as it was.
        try (Stream<Path> inData = Files.list(data)) {
            assertEquals(List.of(f), inData.toList());
        }
        Path rejectsDir = dir.resolve("store.duckdb.rejects");
        List<Path> rejects;
        try (Stream<Path> files = Files.list(rejectsDir)) {
            rejects = files.toList();
        }
        assertEquals(1, rejects.size());
        assertTrue(rejects.get(0).getFileName().toString().matches("batch-1-\\d{8}-\\d{6}\\.csv"), rejects.toString());
        assertTrue(skip.out().contains(rejects.get(0).toString()), "the summary says where: " + skip.out());
        String rejected = Files.readString(rejects.get(0));
        assertTrue(rejected.contains(",5,is_return,validity.return_sign,"), rejected);
        assertTrue(rejected.contains("C496350"), rejected);
    }

    @Test
    void idsReadAsWrittenAndNumericIdsTheSameFromCsvParquetAndXlsx() throws Exception {
        Path csv = write("retail.csv", RETAIL);
        Path parquet = dir.resolve("retail.parquet");
        try (Engine e = Engine.open(dir.resolve("scratch.duckdb")); Connection c = e.connect();
             PreparedStatement ps = c.prepareStatement("COPY (SELECT * REPLACE (CAST(\"Customer ID\" AS DOUBLE) AS \"Customer ID\")"
                     + " FROM read_csv(?, all_varchar = true)) TO '" + parquet + "' (FORMAT parquet)")) {
            ps.setString(1, csv.toString());
            ps.execute();
        }
        Path xlsx = dir.resolve("retail.xlsx");
        try (XSSFWorkbook wb = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(xlsx)) {
            Sheet sheet = wb.createSheet("Sheet1");
            List<String> lines = RETAIL.lines().toList();
            for (int r = 0; r < lines.size(); r++) {
                Row row = sheet.createRow(r);
                String[] cells = lines.get(r).split(",", -1);
                for (int i = 0; i < cells.length; i++) {
                    if (r > 0 && i == 6 && !cells[i].isEmpty()) {
                        row.createCell(i).setCellValue(Double.parseDouble(cells[i])); // a number cell, as Excel keeps ids
                    } else if (!cells[i].isEmpty()) {
                        row.createCell(i).setCellValue(cells[i]);
                    }
                }
            }
            wb.write(out);
        }
        String expected = "13085 16321 17448";
        for (Path f : List.of(csv, parquet, xlsx)) {
            Path store = dir.resolve(f.getFileName() + ".duckdb");
            Stores.CliRun run = Stores.clv("import", "--db", store.toString(), "--on-error", "skip", "--missing-customer", "guest", f.toString());
            assertEquals(0, run.exitCode(), f + ": " + run.err());
            try (Engine e = Engine.open(store)) {
                assertEquals(expected, Stores.text(e, "SELECT string_agg(source_id, ' ' ORDER BY source_id) FROM customers"), f.toString());
            }
        }
        // The customer's report finds 17448 as the user writes it; an id the store does not know is bad input, not an empty report.
        Path csvStore = dir.resolve(csv.getFileName() + ".duckdb");
        Stores.CliRun known = Stores.clv("report", "--db", csvStore.toString(), "--template", "customer-profile", "--param", "customer=17448",
                "--out", dir.resolve("p.csv").toString());
        assertEquals(0, known.exitCode(), known.err());
        Stores.CliRun unknown = Stores.clv("report", "--db", csvStore.toString(), "--template", "customer-profile", "--param", "customer=17448.5",
                "--out", dir.resolve("q.csv").toString());
        assertEquals(2, unknown.exitCode(), unknown.out());
        assertTrue(unknown.err().contains("--param customer=17448.5: no customer with that id"), unknown.err());
        assertFalse(Files.exists(dir.resolve("q.csv")));

        // Leading zeros are part of an id: only a decimal point followed by zeros goes.
        Path zeros = write("zeros.csv", "customer_id,date,amount\n00042,2024-01-05,1\n00042.00,2024-01-06,2\n-7.0,2024-01-07,3\n4.5,2024-01-08,4\n");
        assertEquals(0, Stores.clv("import", "--db", db().toString(), zeros.toString()).exitCode());
        try (Engine e = Engine.open(db())) {
            assertEquals("-7 00042 4.5", Stores.text(e, "SELECT string_agg(source_id, ' ' ORDER BY source_id) FROM customers"));
        }
    }

    @Test
    void aPurchaseLogWithoutAmountsImportsWithEmptyAmountsAndInfoSaysSo() throws IOException {
        Path f = write("visits.csv", "customer_id,date\nA,2024-01-05\nA,2024-02-05\nB,2024-01-06\nA,2024-03-01\nB,2024-04-02\n");
        Stores.CliRun run = Stores.clv("import", "--db", db().toString(), f.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(5, Stores.count(db(), "SELECT count(*) FROM transactions WHERE amount IS NULL"));
        assertEquals(2, Stores.count(db(), "SELECT count(*) FROM customers"));
        Stores.CliRun info = Stores.clv("info", "--db", db().toString());
        assertEquals(0, info.exitCode(), info.err());
        assertTrue(info.out().contains("none (purchase log of customers and dates"), info.out());

        Stores.CliRun fit = Stores.clv("fit", "--db", db().toString(), "--model", "bgnbd");
        // Two customers may be too few to fit: that is exit 4 (a model that cannot be fitted on this data), never 1.
        assertTrue(fit.exitCode() == 0 || fit.exitCode() == 2 || fit.exitCode() == 3 || fit.exitCode() == io.clvanalytics.engine.cli.ClvCli.EXIT_FIT_FAILED,
                "no internal error: " + fit.err());
    }

    /** A German spreadsheet's CSV export (byte-order mark, semicolons, CRLF, dd.MM.yyyy dates, decimal commas) imports as it is. */
    @Test
    void decimalCommasAreDetectedOnlyWhenACommaCannotBeAThousandsSeparator() throws IOException {
        Path de = dir.resolve("umsatz.csv");
        Files.writeString(de, "\uFEFFCustomer ID;Invoice Date;Amount\r\n1001;03.01.2024;12,50\r\n1002;04.01.2024;1.234,00\r\n"
                + "1001;05.02.2024;7,00\r\n", StandardCharsets.UTF_8);
        Stores.CliRun run = Stores.clv("import", "--db", db().toString(), de.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("decimal separator") && run.out().contains("','"), run.out());
        assertEquals(125_350, Stores.count(db(), "SELECT CAST(sum(amount) * 100 AS BIGINT) FROM transactions"), "12.50 + 1234.00 + 7.00");

        // The user's choice wins: told '.', the same file is refused and names the first number it cannot read.
        Path other = dir.resolve("other.duckdb");
        Stores.CliRun told = Stores.clv("import", "--db", other.toString(), "--decimal-separator", ".", de.toString());
        assertEquals(2, told.exitCode());
        assertTrue(told.err().contains("umsatz.csv:2:Amount: amount not a number (12,50)"), told.err());

        // "1,234" alone could be a thousand (English) or 1.234 (German): never read as a decimal comma by guess.
        Path ambiguous = write("totals.csv", "customer_id,date,amount\nA,2024-01-05,\"1,234\"\nB,2024-01-06,\"2,500\"\n");
        Stores.CliRun refused = Stores.clv("import", "--db", other.toString(), ambiguous.toString());
        assertEquals(2, refused.exitCode());
        assertTrue(refused.err().contains("totals.csv:2:amount: amount not a number (1,234)"), refused.err());
        assertFalse(Files.exists(other));

        // With a decimal comma a dot only groups thousands: 1.5 is not a number there, never fifteen.
        Path odd = write("odd.csv", "customer_id;date;amount\nA;03.01.2024;12,50\nB;04.01.2024;1.5\nC;05.01.2024;2.500,5\n");
        Stores.CliRun strict = Stores.clv("import", "--db", other.toString(), "--decimal-separator", ",", odd.toString());
        assertEquals(2, strict.exitCode());
        assertTrue(strict.err().contains("1 of 3 rows break the import rules"), strict.err());
        assertTrue(strict.err().contains("odd.csv:3:amount: amount not a number (1.5)"), strict.err());
        assertFalse(Files.exists(other));

        // Decimal points stay decimal points, thousands and all.
        Path english = write("en.csv", "customer_id,date,amount\nA,2024-01-05,1234.5\nB,2024-01-06,2.25\n");
        Stores.CliRun en = Stores.clv("import", "--db", other.toString(), english.toString());
        assertEquals(0, en.exitCode(), en.err());
        assertTrue(en.out().contains("'.'"), en.out());
        assertEquals(123_675, Stores.count(other, "SELECT CAST(sum(amount) * 100 AS BIGINT) FROM transactions"));
    }

    /** Shops that know their customers by e-mail (a Shopify orders export) need no --map; an id column still wins. */
    @Test
    void anEmailColumnIdentifiesTheCustomerWhenTheFileHasNoCustomerId() throws IOException {
        Path shop = write("orders_export.csv", "Name,Email,Created at,Total\n#1001,ann@example.com,2024-01-03 10:15:00,10.00\n"
                + "#1002,bob@example.com,2024-01-14 09:00:00,20.00\n#1003,ann@example.com,2024-02-05 12:30:00,5.00\n");
        Stores.CliRun run = Stores.clv("import", "--db", db().toString(), shop.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("customer_id=Email"), run.out());
        assertEquals(2, Stores.count(db(), "SELECT count(*) FROM customers"));

        Path both = write("both.csv", "email,customer_id,date,amount\nann@example.com,C1,2024-01-03,1\n");
        Stores.CliRun byId = Stores.clv("import", "--db", dir.resolve("both.duckdb").toString(), both.toString());
        assertEquals(0, byId.exitCode(), byId.err());
        assertTrue(byId.out().contains("customer_id=customer_id"), byId.out());
    }

    @Test
    void aColumnNumberMapsAPositionOnlyInAFileWithoutAHeader() throws IOException {
        Path f = write("t.csv", "who,when,what\nA,2024-01-05,10.00\n");
        Stores.CliRun run = Stores.clv("import", "--db", db().toString(), "--map", "customer_id=who", "--map", "date=when",
                "--map", "amount=1", f.toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--map amount=1: the file has a header, so columns are mapped by name"), run.err());
        assertTrue(run.err().contains("its columns: who, when, what"), run.err());
        assertFalse(Files.exists(db()), "a refused first import leaves no store file");

        Path noHeader = write("n.csv", "A,2024-01-05,10.00\nB,2024-01-06,5.00\n");
        Stores.CliRun byPosition = Stores.clv("import", "--db", db().toString(), "--no-header", "--map", "customer_id=1",
                "--map", "date=2", "--map", "amount=3", noHeader.toString());
        assertEquals(0, byPosition.exitCode(), byPosition.err());
        assertEquals(1500, Stores.count(db(), "SELECT CAST(sum(amount) * 100 AS BIGINT) FROM transactions"));
    }

    @Test
    void aRefusedFirstImportLeavesNoStoreFileAndARefusedLaterOneLeavesTheStoreAsItWas() throws IOException {
        Stores.CliRun missing = Stores.clv("import", "--db", db().toString(), dir.resolve("nope.csv").toString());
        assertEquals(2, missing.exitCode());
        assertFalse(Files.exists(db()));
        Path unmappable = write("u.csv", "a,b\n1,2\n");
        assertEquals(2, Stores.clv("import", "--db", db().toString(), unmappable.toString()).exitCode());
        assertFalse(Files.exists(db()));
        assertFalse(Files.exists(dir.resolve("store.duckdb.wal")));

        Path good = write("g.csv", "customer_id,date,amount\nA,2024-01-05,1\n");
        assertEquals(0, Stores.clv("import", "--db", db().toString(), good.toString()).exitCode());
        String before = Stores.fingerprint(db());
        assertEquals(2, Stores.clv("import", "--db", db().toString(), unmappable.toString()).exitCode());
        assertTrue(Files.exists(db()));
        assertEquals(before, Stores.fingerprint(db()));
    }
}
