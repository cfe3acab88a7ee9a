package io.clvanalytics.engine.jasper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.cli.ClvCli;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The data exports of every template, read as a user's tools read them: each CSV parsed as one RFC 4180
 * table, every CSV and XLSX cell compared with the values stored (nothing cut at a layout box), every XLSX
 * opened with POI and converted by LibreOffice (custom number formats outside Excel's built-in ids).
 *
 * <p>The store is a generated one, analysed by the command line as a user would (fit, score, retention,
 * products, quality), with product and customer names made longer than any column of the layouts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportExportsTest {

    private static final String LONG = " with a description far longer than its column";

    private Path dir;
    private Engine engine;
    private String customer;
    private String cliProducts;
    private NavigableSet<String> stored;
    private final Map<ReportTemplate, byte[]> csv = new EnumMap<>(ReportTemplate.class);
    private final Map<ReportTemplate, byte[]> xlsx = new EnumMap<>(ReportTemplate.class);

    @BeforeAll
    void analyseAStore(@TempDir Path tmp) throws Exception {
        dir = tmp;
        Path db = tmp.resolve("exports.duckdb");
        cli(0, "generate", "--db", db.toString(), "--customers", "400", "--seed", "7", "--products", "60");
        try (Engine e = Engine.open(db); Connection c = e.connect(); Statement st = c.createStatement()) {
            st.execute("UPDATE products SET name = name || '" + LONG + "' WHERE id % 2 = 0");
            st.execute("UPDATE customers SET name = name || '" + LONG + "' WHERE id % 2 = 0");
        }
        cli(0, "score", "--db", db.toString(), "--model", "bgnbd");
        cli(0, "retention", "--db", db.toString());
        cliProducts = cli(0, "products", "--db", db.toString(), "--json", "--top", "0");
        cli(-1, "quality", "--db", db.toString());
        engine = Engine.open(db);
        stored = storedText();
        try (Connection c = engine.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT c.source_id FROM customers c JOIN transactions t ON t.customer_id = c.id"
                        + " WHERE c.id % 2 = 0 GROUP BY c.source_id ORDER BY count(*) DESC, c.source_id LIMIT 1")) {
            assertTrue(rs.next());
            customer = rs.getString(1);
        }
        for (ReportTemplate t : ReportTemplate.values()) {
            csv.put(t, render(t, ReportFormat.CSV));
            xlsx.put(t, render(t, ReportFormat.XLSX));
        }
    }

    @AfterAll
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private static String cli(int expectedExit, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ClvCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        if (expectedExit >= 0) {
            assertEquals(expectedExit, code, () -> String.join(" ", args) + "\n" + out + err);
        }
        return out.toString();
    }

    private byte[] render(ReportTemplate t, ReportFormat f) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, String> params = t == ReportTemplate.CUSTOMER_PROFILE ? Map.of("customer", customer) : Map.of();
        ReportRenderer.of(engine).render(t.templateName(), f, params, out);
        return out.toByteArray();
    }

    /** Every text value the templates show from the store. */
    private NavigableSet<String> storedText() throws SQLException {
        NavigableSet<String> values = new TreeSet<>();
        String[] columns = {
            "customers: source_id, name, segment, status, country",
            "products: source_id, name, category, lifecycle_stage",
            "quality_results: check_name, category, severity, status, threshold, message",
            "retention_scores: segment, risk_level, action, action_reason",
            "model_runs: model"};
        try (Connection c = engine.connect(); Statement st = c.createStatement()) {
            for (String spec : columns) {
                String table = spec.substring(0, spec.indexOf(':'));
                for (String col : spec.substring(spec.indexOf(':') + 1).split(",")) {
                    try (ResultSet rs = st.executeQuery("SELECT DISTINCT CAST(" + col.trim() + " AS VARCHAR) FROM " + table
                            + " WHERE " + col.trim() + " IS NOT NULL")) {
                        while (rs.next()) {
                            values.add(rs.getString(1).strip());
                        }
                    }
                }
            }
        }
        return values;
    }

    /** The stored value {@code cell} is a cut-off start of, or null when the cell is whole. */
    private String cutFrom(String cell) {
        String c = cell.strip();
        // Numbers are the data's own values; a message that starts with one ("101 of 3670 rows") is not its whole.
        if (c.length() < 2 || stored.contains(c) || c.matches("[-+]?[0-9][0-9,.]*([eE][-+]?[0-9]+)?%?")) {
            return null;
        }
        String next = stored.ceiling(c);
        return next != null && next.startsWith(c) ? next : null;
    }

    private static List<CSVRecord> parse(byte[] bytes) throws IOException {
        CSVFormat strict = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();
        try (CSVParser p = CSVParser.parse(new StringReader(new String(bytes, StandardCharsets.UTF_8)), strict)) {
            List<CSVRecord> records = p.getRecords();
            int width = p.getHeaderNames().size();
            for (CSVRecord r : records) {
                assertEquals(width, r.size(), () -> "record " + r.getRecordNumber() + " has " + r.size() + " fields, the header "
                        + width + ": " + r);
            }
            return records;
        }
    }

    @ParameterizedTest
    @EnumSource(ReportTemplate.class)
    void every_csv_is_one_rectangular_rfc4180_table_with_rows(ReportTemplate t) throws Exception {
        List<CSVRecord> records = parse(csv.get(t));
        assertFalse(records.isEmpty(), t + " CSV has no data rows");
    }

    @ParameterizedTest
    @EnumSource(ReportTemplate.class)
    void no_csv_cell_is_cut_against_the_stored_value(ReportTemplate t) throws Exception {
        List<String> cut = new ArrayList<>();
        for (CSVRecord r : parse(csv.get(t))) {
            for (String cell : r) {
                String whole = cutFrom(cell);
                if (whole != null) {
                    cut.add("\"" + cell + "\" (stored \"" + whole + "\")");
                }
            }
        }
        assertEquals(List.of(), cut, t + " CSV cells cut");
    }

    @ParameterizedTest
    @EnumSource(ReportTemplate.class)
    void no_xlsx_cell_is_cut_and_custom_number_formats_start_at_164(ReportTemplate t) throws Exception {
        List<String> cut = new ArrayList<>();
        int textCells = 0;
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(xlsx.get(t)))) {
            for (Short id : wb.getStylesSource().getNumberFormats().keySet()) {
                assertTrue(id >= 164, t + ": custom number format " + id + " redefines a built-in format id (0-163)");
            }
            for (Sheet sheet : wb) {
                for (Row row : sheet) {
                    for (Cell cell : row) {
                        if (cell.getCellType() == CellType.STRING) {
                            textCells++;
                            String whole = cutFrom(cell.getStringCellValue());
                            if (whole != null) {
                                cut.add(sheet.getSheetName() + "!" + cell.getAddress() + " \"" + cell.getStringCellValue()
                                        + "\" (stored \"" + whole + "\")");
                            }
                        }
                    }
                }
            }
        }
        assertTrue(textCells > 0, t + " XLSX has no text cells");
        assertEquals(List.of(), cut, t + " XLSX cells cut");
    }

    @Test
    void the_layout_cuts_what_the_data_exports_keep_whole() throws Exception {
        // The product list's name column is narrower than the long names: the page shows them cut, the CSV whole.
        String longName = stored.stream().filter(s -> s.endsWith(LONG))
                .findFirst().orElseThrow();
        List<CSVRecord> products = parse(csv.get(ReportTemplate.PRODUCT_PERFORMANCE));
        assertTrue(products.stream().anyMatch(r -> r.get("name").endsWith(LONG)), "a long product name arrives whole: " + longName);
    }

    @Test
    void the_product_report_and_clv_products_agree_on_customers_units_growth_and_stage() throws Exception {
        var cli = io.clvanalytics.engine.cli.Output.mapper().readTree(cliProducts).get("products");
        Map<String, com.fasterxml.jackson.databind.JsonNode> byCode = new java.util.HashMap<>();
        cli.forEach(p -> byCode.put(p.get("lifecycle").get("productCode").asText(), p));
        List<CSVRecord> report = parse(csv.get(ReportTemplate.PRODUCT_PERFORMANCE));
        assertEquals(byCode.size(), report.size(), "the same products");
        for (CSVRecord r : report) {
            var p = byCode.get(r.get("product"));
            assertEquals(p.get("metrics").get("customers").asLong(), Long.parseLong(r.get("customers")), r.toString());
            double netUnits = p.get("metrics").get("unitsSold").asDouble() - p.get("metrics").get("unitsReturned").asDouble();
            assertEquals(netUnits, Double.parseDouble(r.get("units")), 1e-9, r.toString());
            assertEquals(p.get("lifecycle").get("stage").asText(), r.get("lifecycle_stage"), r.toString());
            var growth = p.get("lifecycle").get("growth");
            if (growth == null || growth.isNull()) {
                assertEquals("", r.get("growth"), r.toString());
            } else {
                assertEquals(growth.asDouble(), Double.parseDouble(r.get("growth")), 1e-9, r.toString());
            }
        }
    }

    @Test
    void every_xlsx_converts_with_libreoffice_without_error() throws Exception {
        Path soffice = Path.of("/usr/bin/soffice");
        if (!Files.isExecutable(soffice)) {
            fail("LibreOffice is needed for this check: apt-get install libreoffice-calc-nogui (.ci/run installs it)");
        }
        Path in = Files.createDirectories(dir.resolve("xlsx"));
        Path out = Files.createDirectories(dir.resolve("converted"));
        List<String> cmd = new ArrayList<>(List.of(soffice.toString(), "-env:UserInstallation=" + dir.resolve("lo-profile").toUri(),
                "--headless", "--norestore", "--convert-to", "csv", "--outdir", out.toString()));
        for (ReportTemplate t : ReportTemplate.values()) {
            Path f = in.resolve(t.templateName() + ".xlsx");
            Files.write(f, xlsx.get(t));
            cmd.add(f.toString());
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "LibreOffice did not finish in 5 minutes");
        assertEquals(0, p.exitValue(), log);
        assertFalse(log.toLowerCase().contains("error"), log);
        for (ReportTemplate t : ReportTemplate.values()) {
            Path converted = out.resolve(t.templateName() + ".csv");
            assertTrue(Files.isRegularFile(converted) && Files.size(converted) > 0, t + " was not converted: " + log);
        }
    }
}
