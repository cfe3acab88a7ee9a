package io.clvanalytics.engine.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Careless and hostile input files (issue 18): each gets exit 2 naming its line, or is rejected under skip; nothing else is read. */
class BadInputImportTest {

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

    private static String rows(String... customers) {
        StringBuilder sb = new StringBuilder("customer_id,date,amount\n");
        for (String c : customers) {
            sb.append(c).append(",2024-01-05,1.00\n");
        }
        return sb.toString();
    }

    @Test
    void aPathWithGlobCharactersNamesExactlyThatFile() throws Exception {
        // Each name, read as a glob, would match the decoys (or several files) instead of itself.
        String[][] cases = {
            {"br[ack]et.csv", "brket.csv"},
            {"glob*.csv", "glob1.csv", "glob2.csv"},
            {"what?.csv", "whatX.csv"},
            {"a[]b.csv", "a]b.csv"},
        };
        int n = 0;
        for (String[] names : cases) {
            Path store = dir.resolve("s" + n++ + ".duckdb");
            for (int i = 1; i < names.length; i++) {
                write(names[i], rows("DECOY" + i));
            }
            Path target = write(names[0], rows("MINE"));
            Stores.CliRun run = Stores.clv("import", "--db", store.toString(), target.toString());
            assertEquals(0, run.exitCode(), names[0] + ": " + run.err());
            try (Engine e = Engine.open(store)) {
                assertEquals("MINE", Stores.text(e, "SELECT string_agg(source_id, ' ') FROM customers"), names[0]);
                assertEquals(target.toString(), Stores.text(e, "SELECT source FROM import_batches"), names[0]);
            }
        }
        Path folder = Files.createDirectories(dir.resolve("in[1]*?"));
        Path nested = folder.resolve("t.parquet");
        Path csv = write("nested.csv", rows("PQ"));
        try (Engine e = Engine.open(dir.resolve("scratch.duckdb")); Connection c = e.connect();
             PreparedStatement ps = c.prepareStatement("COPY (SELECT * FROM read_csv(?)) TO '" + nested.toString().replace("'", "''")
                     + "' (FORMAT parquet)")) {
            ps.setString(1, csv.toString());
            ps.execute();
        }
        Stores.CliRun parquet = Stores.clv("import", "--db", db().toString(), nested.toString());
        assertEquals(0, parquet.exitCode(), parquet.err());
    }

    @Test
    void anUnbalancedQuoteIsAMalformedLineNamedByItsLine() throws IOException {
        Path f = write("q.csv", "customer_id,date,amount\nC1,2024-01-01,5\n\"C2,2024-01-02,6\n");
        Stores.CliRun fail = Stores.clv("import", "--db", db().toString(), f.toString());
        assertEquals(2, fail.exitCode());
        assertTrue(fail.err().contains("Line: 3") && fail.err().contains("unterminated quote"), fail.err());

        Stores.CliRun skip = Stores.clv("import", "--db", db().toString(), "--on-error", "skip", "--rejects", dir.resolve("r.csv").toString(), f.toString());
        assertEquals(0, skip.exitCode(), skip.err());
        assertEquals("C1", text("SELECT string_agg(source_id, ' ') FROM customers"));
        assertTrue(Files.readString(dir.resolve("r.csv")).contains(",3,customer_id,malformed line (unquoted value),"), Files.readString(dir.resolve("r.csv")));
    }

    @Test
    void linesOf3And10MegabytesAreRejectedUnderSkipNamingTheirLines() throws IOException {
        Path f = dir.resolve("long.csv");
        try (Writer w = Files.newBufferedWriter(f)) {
            w.write("customer_id,date,amount\nC1,2024-01-01,5\nC2,2024-01-02,");
            w.write("x".repeat(3_000_000));
            w.write("\nC3,2024-01-03,7\nC4,2024-01-04,");
            w.write("y".repeat(10_000_000));
            w.write("\nC5,2024-01-05,8\n");
        }
        Stores.CliRun skip = Stores.clv("import", "--db", db().toString(), "--on-error", "skip", "--rejects", dir.resolve("r.csv").toString(), f.toString());
        assertEquals(0, skip.exitCode(), skip.err());
        assertEquals("C1 C3 C5", text("SELECT string_agg(source_id, ' ' ORDER BY source_id) FROM customers"));
        assertEquals("2 4 6", text("SELECT string_agg(source_line::VARCHAR, ' ' ORDER BY source_line) FROM transactions"));
        String rejects = Files.readString(dir.resolve("r.csv"));
        assertTrue(rejects.contains(",3,\"\",malformed line (line size over maximum),") && rejects.contains(",5,\"\",malformed line (line size over maximum),"),
                rejects.substring(0, 300));

        Path three = write("three.csv", "customer_id,date,amount\nC1,2024-01-01,5\nC2,2024-01-02," + "x".repeat(3_000_000) + "\n");
        Stores.CliRun fail = Stores.clv("import", "--db", dir.resolve("f.duckdb").toString(), three.toString());
        assertEquals(2, fail.exitCode());
        assertTrue(fail.err().contains("Line: 3") && fail.err().contains("Maximum line size"), fail.err());
        assertFalse(fail.err().contains("xxxxxxxxxx"), "the line itself is not quoted");
    }

    @Test
    void raggedRowsUnderFailNameTheFirstBadLineAndRepeatedHeaderNamesAreRefused() throws IOException {
        Path ragged = write("ragged.csv", "customer_id,date,amount\nC1,2024-01-01,5\nC2,2024-01-02,6\nC3;2024-01-03;7\nC4,2024-01-03,7,9\n");
        Stores.CliRun fail = Stores.clv("import", "--db", db().toString(), ragged.toString());
        assertEquals(2, fail.exitCode());
        assertTrue(fail.err().contains("Line: 4") && fail.err().contains("Expected Number of Columns: 3 Found: 1"), fail.err());

        Path mixed = write("mixed.csv", "customer_id;date;amount\nC1;2024-01-01;5\nC2,2024-01-02,6\nC3;2024-01-03;7\n");
        Stores.CliRun mixedRun = Stores.clv("import", "--db", db().toString(), mixed.toString());
        assertEquals(2, mixedRun.exitCode());
        assertTrue(mixedRun.err().contains("Line: 3"), mixedRun.err());

        Path twice = write("twice.csv", "customer_id,amount,date,Amount\nC1,1,2024-01-01,2\n");
        Stores.CliRun dup = Stores.clv("import", "--db", db().toString(), twice.toString());
        assertEquals(2, dup.exitCode());
        assertTrue(dup.err().contains("the header names two columns 'amount' (columns 2 and 4)"), dup.err());
        assertFalse(Files.exists(db()));
    }

    @Test
    void aHeaderOnlyFileSaysZeroRowsAndRecordsNoBatch() throws IOException {
        Path good = write("g.csv", rows("A"));
        assertEquals(0, Stores.clv("import", "--db", db().toString(), good.toString()).exitCode());
        Path empty = write("empty.csv", "customer_id,date,amount\n");
        Stores.CliRun run = Stores.clv("import", "--db", db().toString(), empty.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("0 rows") && run.out().contains("no batch recorded"), run.out());
        assertEquals(1, Stores.count(db(), "SELECT count(*) FROM import_batches"));
    }

    @Test
    void xlsxCellsWithoutReferencesAreReadByPosition() throws IOException {
        Path plain = dir.resolve("plain.xlsx");
        try (XSSFWorkbook wb = new XSSFWorkbook(); OutputStream out = Files.newOutputStream(plain)) {
            Sheet s = wb.createSheet("Orders");
            String[][] cells = {{"Customer ID", "Order Date", "Sales"}, {"A", "2024-01-05", "10.5"}, {"B", "2024-01-06", "3"}};
            for (int r = 0; r < cells.length; r++) {
                Row row = s.createRow(r);
                for (int i = 0; i < cells[r].length; i++) {
                    row.createCell(i).setCellValue(cells[r][i]);
                }
            }
            wb.write(out);
        }
        // Some generators omit the optional r attribute of cells (and rows): strip them from the sheet XML.
        Path stripped = dir.resolve("no-refs.xlsx");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(plain)); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(stripped))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] bytes = in.readAllBytes();
                if (e.getName().startsWith("xl/worksheets/")) {
                    String xml = new String(bytes, StandardCharsets.UTF_8);
                    String without = xml.replaceAll("<c r=\"[A-Z]+[0-9]+\"", "<c").replaceAll("<row r=\"[0-9]+\"", "<row");
                    assertFalse(without.equals(xml));
                    bytes = without.getBytes(StandardCharsets.UTF_8);
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                out.write(bytes);
                out.closeEntry();
            }
        }
        Stores.CliRun run = Stores.clv("import", "--db", db().toString(), stripped.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(1350, Stores.count(db(), "SELECT CAST(sum(amount) * 100 AS BIGINT) FROM transactions"));
        assertEquals("A B", text("SELECT string_agg(source_id, ' ' ORDER BY source_id) FROM customers"));
    }

    @Test
    void messagesAboutAFileThatIsNotCsvQuoteNoWholeLineOfIt() throws IOException {
        String secret = "root:$6$Zq8sEcReTsAlT$" + "H".repeat(80) + ":19000:0:99999:7:::";
        Path shadow = write("shadow", secret + "\ndaemon:*:19000:0:99999:7:::\nbin:*:19000:0:99999:7:::\n");
        Path link = dir.resolve("orders.csv");
        Files.createSymbolicLink(link, shadow);
        for (String onError : new String[] {"fail", "skip"}) {
            Stores.CliRun run = Stores.clv("import", "--db", db().toString(), "--on-error", onError, link.toString());
            assertEquals(2, run.exitCode(), run.out());
            String said = run.out() + run.err();
            assertFalse(said.contains("HHHHHHHHHHHHHHHHHHHHHHHHHHHHHH"), said);
            assertFalse(said.contains("Zq8sEcReTsAlT"), said);
        }
    }

    private String text(String sql) {
        try (Engine e = Engine.open(db())) {
            return Stores.text(e, sql);
        }
    }

}
