package io.clvanalytics.engine.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.cli.ClvCli;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The import's rules as a user meets them: all or nothing, rejects with reasons, re-imports, formats. */
class ImportRulesTest {

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

    /** A CSV of {@code rows} data rows (line 1 is the header); {@code badLine}, if > 0, gets the amount {@code 12.3O}. */
    private Path generated(String name, int rows, int badLine, int customerOffset) throws IOException {
        Path f = dir.resolve(name);
        try (Writer w = Files.newBufferedWriter(f)) {
            w.write("customer_id,order_id,date,amount\n");
            for (int i = 1; i <= rows; i++) {
                int line = i + 1;
                String amount = line == badLine ? "12.3O" : String.format("%d.%02d", 1 + i % 97, i % 100);
                w.write("C" + (customerOffset + i % 1000) + ",O" + i + ",2024-" + String.format("%02d-%02d", 1 + i % 12, 1 + i % 28) + "," + amount + "\n");
            }
        }
        return f;
    }

    /** What the store holds for each imported line, in line order, as text. */
    private static String storedLines(Path db) {
        try (Engine e = Engine.open(db)) {
            return Stores.text(e, """
                    SELECT string_agg(concat_ws('|', t.source_line, c.source_id, c.acquisition_date, c.last_transaction_date,
                        p.source_id, p.launch_date, t.order_id, t.date, t.ts, t.quantity, t.unit_price, t.amount, t.country,
                        t.currency, t.is_return), E'\\n' ORDER BY t.source_line)
                    FROM transactions t JOIN customers c ON c.id = t.customer_id LEFT JOIN products p ON p.id = t.product_id""");
        }
    }

    @Test
    void aCleanFileIsStoredExactlyAsTheTextPassThatNamesBadRowsWouldStoreIt() throws IOException {
        // Clean files are read by DuckDB's typed reader; a file with a bad row is read as text. Both must store the same.
        String stored = assertBothPassesStore("""
                CustomerID,InvoiceNo,InvoiceDate,StockCode,Quantity,UnitPrice,Country
                17850,536365,2010-12-01 08:26:00,85123A,6,2.55,United Kingdom
                17850,536366, 2010-12-01 08:28:00 ,71053, 1e1 ,1.23456,United Kingdom
                13047,C536379,2010-12-01 09:41:00,D,-1,27.5,
                13047,536380,2010-12-02 10:00:00,22633,+2,.5,France
                12583,536381,2010-12-03 11:00:00,22633,1_000,0.00005,France
                """);
        assertTrue(stored.contains("|10.0|1.2346|"), stored);
    }

    @Test
    void idsWithBlanksAroundThemAreTrimmedWhicheverPassReadsTheFile() throws IOException {
        String stored = assertBothPassesStore("""
                CustomerID,InvoiceNo,InvoiceDate,StockCode,Quantity,UnitPrice,Country
                 17850 ,536365,2010-12-01 08:26:00,85123A,6,2.55,United Kingdom
                17850, 536366,2010-12-01 08:28:00,71053 ,1,1.25,United Kingdom
                """);
        assertTrue(stored.startsWith("2|17850|2010-12-01|2010-12-01|85123A|"), stored);
        assertTrue(stored.contains("\n3|17850|2010-12-01|2010-12-01|71053|2010-12-01|536366|"), stored);
    }

    @Test
    void aFileWithOnlyTheRequiredColumnsStoresTheGivenCurrencyAndNoTimesWhicheverPassReadsIt() throws IOException {
        String stored = assertBothPassesStore("""
                customer_id,date,amount
                A,2024-01-05,10.00
                B,2024-01-06,-2.50
                """, "B,2024-01-07,x\n", "--currency", "GBP");
        // line|customer|acquired|last|date|amount|currency|return: every other column NULL (concat_ws leaves NULLs out), no time stored
        assertEquals("2|A|2024-01-05|2024-01-05|2024-01-05|10.0000|GBP|false", stored.lines().findFirst().orElseThrow());
        assertTrue(stored.contains("\n3|B|2024-01-06|2024-01-06|2024-01-06|-2.5000|GBP|true"), stored);
    }

    /** Imports {@code clean} as it is and with a bad row added ({@code --on-error skip}); both stores hold the same lines, returned. */
    private String assertBothPassesStore(String clean) throws IOException {
        return assertBothPassesStore(clean, "12583,536382,2010-12-04 12:00:00,22633,x,1,France\n");
    }

    private String assertBothPassesStore(String clean, String badRow, String... options) throws IOException {
        Path typed = write("clean.csv", clean);
        Path text = write("with-bad-row.csv", clean + badRow);
        Path typedDb = dir.resolve("typed.duckdb");
        Path textDb = dir.resolve("text.duckdb");

        List<String> typedArgs = new java.util.ArrayList<>(List.of("import", "--db", typedDb.toString(), typed.toString()));
        typedArgs.addAll(List.of(options));
        assertEquals(0, Stores.clv(typedArgs.toArray(String[]::new)).exitCode());
        List<String> textArgs = new java.util.ArrayList<>(List.of("import", "--db", textDb.toString(), "--on-error", "skip", text.toString()));
        textArgs.addAll(List.of(options));
        Stores.CliRun run = Stores.clv(textArgs.toArray(String[]::new));

        assertEquals(0, run.exitCode(), run.err());
        long lines = clean.lines().count() - 1;
        assertEquals(lines, Stores.count(textDb, "SELECT count(*) FROM transactions"));
        assertEquals(lines, Stores.count(typedDb, "SELECT count(*) FROM transactions"));
        assertEquals(storedLines(textDb), storedLines(typedDb));
        return storedLines(typedDb);
    }

    @Test
    void theImportedSegmentSurvivesRetentionScoringWhichSetsItsOwn() throws IOException {
        Path jan = write("jan.csv", """
                customer_id,date,amount,segment
                A,2024-01-05,10.00,Corporate
                A,2024-02-05,12.00,Corporate
                B,2024-01-06,20.00,Consumer
                """);
        assertEquals(0, Stores.clv("import", "--db", db().toString(), jan.toString()).exitCode());
        String segments = "SELECT string_agg(source_id || ':' || coalesce(segment, '-') || ':' || coalesce(source_segment, '-'), ' '"
                + " ORDER BY source_id) FROM customers";
        try (Engine e = Engine.open(db())) {
            assertEquals("A:Corporate:Corporate B:Consumer:Consumer", Stores.text(e, segments));
        }

        Stores.CliRun retention = Stores.clv("retention", "--db", db().toString());
        assertEquals(0, retention.exitCode(), retention.err());
        Path mar = write("mar.csv", "customer_id,date,amount,segment\nA,2024-03-05,9.00,Home Office\nC,2024-03-06,5.00,Consumer\n");
        assertEquals(0, Stores.clv("import", "--db", db().toString(), mar.toString()).exitCode());

        try (Engine e = Engine.open(db())) {
            String scored = Stores.text(e, "SELECT r.segment FROM retention_scores r JOIN customers c ON c.id = r.customer_id"
                    + " WHERE c.source_id = 'A'");
            // Retention's segment stays until its next run; the file's segment is kept beside it; a new customer takes the file's.
            assertEquals("A:" + scored + ":Home Office B:" + Stores.text(e, "SELECT segment FROM customers WHERE source_id = 'B'")
                    + ":Consumer C:Consumer:Consumer", Stores.text(e, segments));
            assertFalse(List.of("Corporate", "Home Office").contains(scored), scored);
        }
    }

    @Test
    void linesEqualOnlyOnceTypedAreNotExactDuplicates() throws IOException {
        Path f = write("near-duplicates.csv", """
                customer_id,order_id,date,quantity,unit_price
                C1,O1,2024-01-05,5,2.50
                C1,O1,2024-01-05,5.0,2.5
                C1,O1,2024-01-05,5,2.50
                """);
        try (Engine e = Engine.open(db())) {
            ImportResult r = Importer.into(e).run(ImportOptions.builder(f).build());
            assertEquals(1, r.duplicateLines());
            assertEquals(3, r.rowsImported());
        }
    }

    @Test
    void aBadValueOnLine9999RefusesTheWholeFileWithExitCode2AndLeavesTheStoreUnchanged() throws IOException {
        assertEquals(0, Stores.clv("import", "--db", db().toString(), generated("earlier.csv", 500, 0, 5000).toString()).exitCode());
        String before = Stores.fingerprint(db());

        Path bad = generated("bad.csv", 10_000, 9_999, 0);
        Stores.CliRun run = Stores.clv("import", "--db", db().toString(), bad.toString());

        assertEquals(ClvCli.EXIT_BAD_INPUT, run.exitCode(), run.err());
        assertTrue(run.err().contains(bad + ":9999:amount: amount not a number (12.3O)"), run.err());
        assertTrue(run.err().contains("nothing was imported"), run.err());
        assertEquals(before, Stores.fingerprint(db()));
        assertEquals(500, Stores.count(db(), "SELECT count(*) FROM transactions"));
    }

    @Test
    void skipWritesLinesThatCannotBeSplitIntoTheColumnsToTheRejectsFileAndKeepsTheOtherLinesNumbers() throws IOException {
        StringBuilder csv = new StringBuilder("customer_id,order_id,date,amount\n");
        for (int line = 2; line <= 31; line++) {
            csv.append(switch (line) {
                case 5 -> "C5,O5,2024-01-05,20.00,extra";
                case 8 -> "C8,O8";
                case 10 -> "C10,O10,2024-01-10,not a number";
                default -> "C" + line + ",O" + line + ",2024-01-" + String.format("%02d", line) + "," + line + ".50";
            }).append('\n');
        }
        Path f = write("ragged.csv", csv.toString());
        Path rejects = dir.resolve("ragged.rejects.csv");

        Stores.CliRun failed = Stores.clv("import", "--db", db().toString(), f.toString());
        assertEquals(ClvCli.EXIT_BAD_INPUT, failed.exitCode(), failed.err());
        Stores.CliRun run = Stores.clv("import", "--db", db().toString(), "--on-error", "skip", "--rejects", rejects.toString(), f.toString());

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().matches("(?s).*rows read +30\n.*"), run.out());
        assertTrue(run.out().matches("(?s).*rows rejected +3\n.*"), run.out());
        List<String> lines = Files.readAllLines(rejects);
        assertEquals(4, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(1).startsWith(f + ",5,\"\",malformed line (too many columns),\"C5,O5,2024-01-05,20.00,extra\""), lines.get(1));
        assertTrue(lines.get(2).startsWith(f + ",8,date,malformed line (missing columns),\"C8,O8\""), lines.get(2));
        assertTrue(lines.get(3).startsWith(f + ",10,amount,amount not a number,not a number,"), lines.get(3));
        try (Engine e = Engine.open(db())) {
            assertEquals(27, Stores.count(e, "SELECT count(*) FROM transactions"));
            assertEquals(0, Stores.count(e, "SELECT count(*) FROM transactions t JOIN customers c ON c.id = t.customer_id"
                    + " WHERE c.source_id <> 'C' || t.source_line"));
            assertEquals(3, Stores.count(e, "SELECT rows_rejected FROM import_batches"));
        }
    }

    @Test
    void skipImportsTheGoodRowsAndWritesEachBadRowWithItsReasonToTheRejectsFile() throws IOException {
        Path f = write("mixed.csv", """
                CustomerID,InvoiceNo,InvoiceDate,StockCode,Description,Quantity,UnitPrice
                17850,536365,2010-12-01 08:26:00,85123A,WHITE HANGING HEART,6,2.55
                ,536366,2010-12-01 08:28:00,22633,HAND WARMER,6,1.85
                17850,536367,not a date,84879,ASSORTED BIRDS,32,1.69
                13047,536368,2099-01-01 10:00:00,22960,JAM MAKING SET,6,4.25
                13047,C536379,2010-12-01 09:41:00,D,Discount,-1,27.50
                13047,536370,2010-12-01 09:45:00,POST,POSTAGE,3,18.00
                """);
        Path rejects = dir.resolve("out/rejects.csv");
        Files.createDirectories(rejects.getParent());
        Stores.CliRun run = Stores.clv("import", "--db", db().toString(), "--on-error", "skip", "--rejects", rejects.toString(), f.toString());

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().matches("(?s).*rows rejected +3\\n.*"), run.out());
        assertTrue(run.out().contains(rejects.toString()), run.out());
        List<String> lines = Files.readAllLines(rejects);
        assertEquals("file,line,column,rule,value,CustomerID,InvoiceNo,InvoiceDate,StockCode,Description,Quantity,UnitPrice", lines.get(0));
        assertEquals(4, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(1).startsWith(f + ",3,CustomerID,missing customer id,"), lines.get(1));
        assertTrue(lines.get(2).startsWith(f + ",4,InvoiceDate,date not in format %Y-%m-%d %H:%M:%S,not a date,"), lines.get(2));
        assertTrue(lines.get(3).contains(",5,InvoiceDate,date after today"), lines.get(3));
        try (Engine e = Engine.open(db())) {
            assertEquals(3, Stores.count(e, "SELECT count(*) FROM transactions"));
            assertEquals(1, Stores.count(e, "SELECT count(*) FROM transactions WHERE order_id = 'C536379' AND is_return AND amount = -27.5"));
            assertEquals(2, Stores.count(e, "SELECT count(*) FROM products WHERE source_id IN ('D', 'POST') AND NOT is_product"));
            assertEquals(2, Stores.count(e, "SELECT count(*) FROM customers"));
            assertEquals(3, Stores.count(e, "SELECT rows_rejected FROM import_batches"));
        }
    }

    @Test
    void reimportingTheSameFileChangesNothingAndALaterFileAppends() throws IOException {
        Path first = write("jan.csv", "customer_id,date,amount\nA,2024-01-05,10.00\nB,2024-01-06,20.00\n");
        assertEquals(0, Stores.clv("import", "--db", db().toString(), first.toString()).exitCode());
        String afterFirst = Stores.fingerprint(db());

        Stores.CliRun again = Stores.clv("import", "--db", db().toString(), first.toString());
        assertEquals(0, again.exitCode());
        assertTrue(again.out().contains("already imported as batch 1"), again.out());
        assertEquals(afterFirst, Stores.fingerprint(db()));

        Path later = write("feb.csv", "customer_id,date,amount\nB,2024-02-01,5.00\nC,2024-02-02,7.50\n");
        Stores.CliRun second = Stores.clv("import", "--db", db().toString(), "--json", later.toString());
        assertEquals(0, second.exitCode(), second.err());
        assertTrue(second.out().contains("\"customersCreated\" : 1"), second.out());
        try (Engine e = Engine.open(db())) {
            assertEquals(4, Stores.count(e, "SELECT count(*) FROM transactions"));
            assertEquals(4, Stores.count(e, "SELECT count(DISTINCT id) FROM transactions"));
            assertEquals(3, Stores.count(e, "SELECT count(*) FROM customers"));
            assertEquals(1, Stores.count(e, "SELECT count(*) FROM customers WHERE source_id = 'B'"
                    + " AND acquisition_date = DATE '2024-01-06' AND last_transaction_date = DATE '2024-02-01'"));
            assertEquals(2, Stores.count(e, "SELECT count(*) FROM import_batches"));
        }
    }

    @Test
    void datesAfterTodayOnTheEngineClockAreRefused() throws IOException {
        Path f = write("future.csv", "customer_id,date,amount\nA,2020-03-01,1\nA,2020-03-03,1\n");
        Clock clock = Clock.fixed(Instant.parse("2020-03-02T12:00:00Z"), ZoneOffset.UTC);
        try (Engine e = Engine.open(db(), clock)) {
            DataValidationException ex = assertThrows(DataValidationException.class,
                    () -> Importer.into(e).run(ImportOptions.builder(f).build()));
            assertEquals(List.of(f + ":3:date: date after today (2020-03-02) (2020-03-03)"), ex.problems());
            assertEquals(0, Stores.count(e, "SELECT count(*) FROM transactions"));
        }
    }

    @Test
    void semicolonsDecimalCommasQuotesBomAndGzipAreRead() throws IOException {
        String csv = "\uFEFFKunde;Order Date;Product Name;Quantity;Price\n"
                + "K1;03/01/19;\"Box; large\";2;1,50\n"
                + "K2;13/01/19;\"Say \"\"hi\"\"\";1;10,25\n";
        Path gz = dir.resolve("orders.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(csv.getBytes(StandardCharsets.UTF_8));
        }
        Stores.CliRun run = Stores.clv("import", "--db", db().toString(), "--map", "customer_id=Kunde", "--map", "unit_price=Price",
                "--decimal-separator", ",", "--date-format", "dd/MM/yy", gz.toString());
        assertEquals(0, run.exitCode(), run.err());
        try (Engine e = Engine.open(db())) {
            assertEquals(1, Stores.count(e, "SELECT count(*) FROM transactions t JOIN customers c ON c.id = t.customer_id"
                    + " WHERE c.source_id = 'K1' AND t.date = DATE '2019-01-03' AND t.amount = 3.00"));
            assertEquals(1, Stores.count(e, "SELECT count(*) FROM transactions WHERE date = DATE '2019-01-13' AND amount = 10.25"));
        }
    }

    @Test
    void anXlsxSheetIsStreamedWithItsDateCells() throws IOException {
        Path xlsx = dir.resolve("orders.xlsx");
        try (XSSFWorkbook wb = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(xlsx)) {
            Sheet sheet = wb.createSheet("Orders");
            CellStyle dateStyle = wb.createCellStyle();
            dateStyle.setDataFormat(wb.getCreationHelper().createDataFormat().getFormat("m/d/yy"));
            Row h = sheet.createRow(0);
            String[] header = {"Customer ID", "Order ID", "Order Date", "Product ID", "Sales"};
            for (int i = 0; i < header.length; i++) {
                h.createCell(i).setCellValue(header[i]);
            }
            for (int r = 1; r <= 300; r++) {
                Row row = sheet.createRow(r);
                row.createCell(0).setCellValue("CU-" + (r % 40));
                row.createCell(1).setCellValue("ORD-" + r);
                row.createCell(2).setCellValue(LocalDateTime.of(2021, 1 + r % 12, 1 + r % 28, 0, 0));
                row.getCell(2).setCellStyle(dateStyle);
                row.createCell(3).setCellValue("P" + (r % 7));
                row.createCell(4).setCellValue(r == 150 ? -5.0 : 10.5);
            }
            sheet.createRow(301).createCell(0).setCellValue("CU-1");
            wb.write(out);
        }
        Stores.CliRun run = Stores.clv("import", "--db", db().toString(), "--on-error", "skip", "--rejects", dir.resolve("x.csv").toString(), xlsx.toString());
        assertEquals(0, run.exitCode(), run.err());
        try (Engine e = Engine.open(db())) {
            assertEquals(300, Stores.count(e, "SELECT count(*) FROM transactions"));
            assertEquals(40, Stores.count(e, "SELECT count(*) FROM customers"));
            assertEquals(7, Stores.count(e, "SELECT count(*) FROM products"));
            assertEquals(1, Stores.count(e, "SELECT count(*) FROM transactions WHERE order_id = 'ORD-13' AND date = DATE '2021-02-14' AND source_line = 14"));
            assertEquals(1, Stores.count(e, "SELECT count(*) FROM transactions WHERE is_return"));
        }
        assertTrue(Files.readString(dir.resolve("x.csv")).contains(",302,Order Date,missing date,"), "the short Excel row 302 is rejected");
    }

    @Test
    void aStagedBatchCheckSeesTheValidatedRowsAndCanRefuseTheBatch() throws IOException {
        Path f = write("t.csv", "customer_id,date,amount\nA,2024-01-05,10.00\nB,2024-01-06,-20.00\n");
        StagedBatchCheck noNegativeAmounts = (c, table) -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT source_file, source_line, amount FROM " + table + " WHERE amount < 0")) {
                List<String> problems = new java.util.ArrayList<>();
                while (rs.next()) {
                    problems.add(rs.getString(1) + ":" + rs.getLong(2) + ":amount: negative (" + rs.getBigDecimal(3) + ")");
                }
                return problems;
            }
        };
        try (Engine e = Engine.open(db())) {
            DataValidationException ex = assertThrows(DataValidationException.class,
                    () -> Importer.into(e).run(ImportOptions.builder(f).check(noNegativeAmounts).build()));
            assertTrue(ex.problems().get(0).endsWith(f + ":3:amount: negative (-20.0000)"), ex.problems().toString());
            assertEquals(0, Stores.count(e, "SELECT count(*) FROM transactions"));
            assertEquals(0, Stores.count(e, "SELECT count(*) FROM import_batches"));
            assertEquals(2, Importer.into(e).run(ImportOptions.builder(f).check((c, t) -> List.of()).build()).rowsImported());
        }
    }

    @Test
    void withCustomerAndProductFilesUnknownReferencesAreRejectedAndTheFilesAttributesKept() throws IOException {
        Path customers = write("customers.csv", "Customer ID,Name,Country,Segment\nA,Ann Lee,France,Consumer\nB,Bob Roy,Spain,Corporate\nZ,Zoe Quiet,Italy,Consumer\n");
        Path products = write("products.csv", "Product ID,Product Name,Category,Sub-Category\nP1,Pen,Office,Writing\nPOST,Postage,Fees,Postage\n");
        Path tx = write("tx.csv", "customer_id,date,product_id,amount\nA,2024-01-05,P1,10.00\nB,2024-01-06,POST,3.00\nX,2024-01-07,P1,1.00\nA,2024-01-08,P9,2.00\n");
        Stores.CliRun strict = Stores.clv("import", "--db", db().toString(), "--customers", customers.toString(), "--products", products.toString(), tx.toString());
        assertEquals(2, strict.exitCode());
        assertTrue(strict.err().contains(tx + ":4:customer_id: unknown customer (not in customers.csv nor in the store) (X)"), strict.err());
        assertTrue(strict.err().contains(tx + ":5:product_id: unknown product (not in products.csv nor in the store) (P9)"), strict.err());
        assertEquals(0, Stores.count(db(), "SELECT count(*) FROM customers"));

        Stores.CliRun skip = Stores.clv("import", "--db", db().toString(), "--on-error", "skip", "--rejects", dir.resolve("r.csv").toString(),
                "--customers", customers.toString(), "--products", products.toString(), tx.toString());
        assertEquals(0, skip.exitCode(), skip.err());
        try (Engine e = Engine.open(db())) {
            assertEquals(2, Stores.count(e, "SELECT count(*) FROM transactions"));
            assertEquals(3, Stores.count(e, "SELECT count(*) FROM customers"), "Z has no transaction but is in the customers file");
            assertEquals(1, Stores.count(e, "SELECT count(*) FROM customers WHERE source_id = 'A' AND name = 'Ann Lee' AND country = 'France'"
                    + " AND segment = 'Consumer' AND acquisition_date = DATE '2024-01-05'"));
            assertEquals(1, Stores.count(e, "SELECT count(*) FROM products WHERE source_id = 'P1' AND name = 'Pen' AND category = 'Office' AND is_product"));
            assertEquals(1, Stores.count(e, "SELECT count(*) FROM products WHERE source_id = 'POST' AND NOT is_product"));
        }
    }

    @Test
    void theCommandLineExplainsBadInvocationsWithExitCode2() throws IOException {
        Stores.CliRun missing = Stores.clv("import", "--db", db().toString(), dir.resolve("nope.csv").toString());
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("nope.csv: file not found"), missing.err());

        Path f = write("t.csv", "who,when,what\nA,2024-01-05,10.00\n");
        Stores.CliRun unmapped = Stores.clv("import", "--db", db().toString(), f.toString());
        assertEquals(2, unmapped.exitCode());
        assertTrue(unmapped.err().contains("required fields not found: customer_id, date. "), unmapped.err());
        assertTrue(unmapped.err().contains("columns are: who, when, what"), unmapped.err());

        Stores.CliRun badField = Stores.clv("import", "--db", db().toString(), "--map", "shoe_size=who", f.toString());
        assertEquals(2, badField.exitCode());
        assertTrue(badField.err().contains("unknown field 'shoe_size'"), badField.err());

        Stores.CliRun mapped = Stores.clv("import", "--db", db().toString(), "--map", "customer_id=who", "--map", "date=when",
                "--map", "amount=what", f.toString());
        assertEquals(0, mapped.exitCode(), mapped.err());

        assertEquals(0, Stores.clv("import", "--help").exitCode());
        assertFalse(Files.exists(dir.resolve("t.csv.rejects.csv")));
    }
}
