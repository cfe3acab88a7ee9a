package io.clvanalytics.engine.jasper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.Engine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportRendererTest {

    private Engine scored;
    private Engine empty;
    private final Map<String, byte[]> cache = new HashMap<>();

    @BeforeAll
    void createStores(@TempDir Path dir) throws Exception {
        scored = ReportFixture.create(dir.resolve("scored.duckdb"), 300, true);
        empty = ReportFixture.create(dir.resolve("unscored.duckdb"), 50, false);
    }

    @AfterAll
    void closeStores() {
        scored.close();
        empty.close();
    }

    private static Map<String, String> paramsFor(ReportTemplate t) {
        return t == ReportTemplate.CUSTOMER_PROFILE ? Map.of("customer", "C1") : Map.of();
    }

    private byte[] render(Engine engine, ReportTemplate t, ReportFormat f, Map<String, String> params) {
        String key = System.identityHashCode(engine) + "/" + t + "/" + f + "/" + params;
        return cache.computeIfAbsent(key, k -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ReportRenderer.of(engine).render(t.templateName(), f, params, out);
            return out.toByteArray();
        });
    }

    @ParameterizedTest
    @EnumSource(ReportTemplate.class)
    void every_template_renders_in_every_format_from_a_scored_store(ReportTemplate t) throws Exception {
        for (ReportFormat f : ReportFormat.values()) {
            byte[] bytes = render(scored, t, f, paramsFor(t));
            switch (f) {
                case PDF -> assertEquals("%PDF", new String(bytes, 0, 4, StandardCharsets.US_ASCII));
                case XLSX -> {
                    try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(bytes))) {
                        assertTrue(wb.getNumberOfSheets() >= 1);
                    }
                }
                case HTML -> assertTrue(new String(bytes, StandardCharsets.UTF_8).contains(t.title()), t + " HTML has no title");
                case CSV -> assertTrue(new String(bytes, StandardCharsets.UTF_8).lines().count() >= 2, t + " CSV has no rows");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ReportTemplate.class)
    void every_template_renders_a_clear_state_when_no_model_has_run(ReportTemplate t) {
        for (ReportFormat f : ReportFormat.values()) {
            assertTrue(render(empty, t, f, paramsFor(t)).length > (f == ReportFormat.CSV ? 0 : 200), t + " " + f);
        }
        String html = new String(render(empty, t, ReportFormat.HTML, paramsFor(t)), StandardCharsets.UTF_8);
        String expected = switch (t) {
            case EXECUTIVE_SUMMARY, CUSTOMER_LIST -> "No CLV model run yet";
            case CUSTOMER_PROFILE -> "no model run yet";
            case RETENTION -> "No retention run yet";
            case PRODUCT_PERFORMANCE -> "Product 1";
            case DATA_QUALITY -> "No quality run yet";
            case MODEL_DIAGNOSTICS -> "No model run yet";
        };
        assertTrue(html.contains(expected), t + " HTML does not say \"" + expected + "\"");
    }

    @Test
    void customer_list_xlsx_has_numeric_cells_with_formats_a_frozen_filtered_header_and_no_formulas() throws Exception {
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(render(scored, ReportTemplate.CUSTOMER_LIST, ReportFormat.XLSX, Map.of())))) {
            assertEquals(1, wb.getNumberOfSheets(), "one sheet, filled page by page");
            assertEquals("Customers", wb.getSheetName(0));
            XSSFSheet sheet = wb.getSheet("Customers");
            assertTrue(findCell(sheet, "Customer list") != null, "the title above the table");
            int headerRow = findRow(sheet, "Customer").getRowNum();
            int customers = 0;
            for (int r = headerRow + 1; r <= headerRow + 300; r++) {
                Cell id = sheet.getRow(r) == null ? null : sheet.getRow(r).getCell(0);
                assertTrue(id != null && id.getStringCellValue().matches("C\\d+"), "row " + r + " is a customer: no gaps or repeated headers");
                customers++;
            }
            assertEquals(300, customers);
            Row header = findRow(sheet, "Customer");
            Map<String, Integer> col = new HashMap<>();
            for (Cell c : header) {
                col.put(c.getStringCellValue(), c.getColumnIndex());
            }
            assertTrue(sheet.getPaneInformation() != null && sheet.getPaneInformation().isFreezePane(), "header row not frozen");
            assertEquals(header.getRowNum() + 1, sheet.getPaneInformation().getHorizontalSplitPosition(), "frozen below the header");
            assertTrue(sheet.getCTWorksheet().isSetAutoFilter(), "no autofilter");
            assertTrue(sheet.getColumnWidth(col.get("Name")) > sheet.getColumnWidth(col.get("Risk")), "column widths follow the layout");

            Row first = sheet.getRow(header.getRowNum() + 1);
            Cell clv = first.getCell(col.get("CLV"));
            assertEquals(CellType.NUMERIC, clv.getCellType());
            assertTrue(clv.getCellStyle().getDataFormatString().contains("$#,##0.00"), clv.getCellStyle().getDataFormatString());
            Cell pAlive = first.getCell(col.get("P(alive)"));
            assertEquals(CellType.NUMERIC, pAlive.getCellType());
            assertTrue(pAlive.getCellStyle().getDataFormatString().contains("%"));
            Cell last = first.getCell(col.get("Last purchase"));
            assertEquals(CellType.NUMERIC, last.getCellType());
            assertTrue(DateUtil.isCellDateFormatted(last), "dates are date cells");

            Cell formulaName = findCell(sheet, ReportFixture.FORMULA_NAME);
            assertEquals(CellType.STRING, formulaName.getCellType(), "a customer named like a formula stays text");
            assertEquals(0, formulaCells(wb));
        }
    }

    @Test
    void executive_summary_xlsx_has_one_named_sheet_per_section_and_no_formulas() throws Exception {
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(render(scored, ReportTemplate.EXECUTIVE_SUMMARY, ReportFormat.XLSX, Map.of())))) {
            List<String> names = new ArrayList<>();
            wb.forEach(s -> names.add(s.getSheetName()));
            assertEquals(List.of("Summary", "Distribution", "Top customers", "Segments"), names);
            Cell total = findCell(wb.getSheet("Segments"), "Total CLV");
            Cell value = wb.getSheet("Segments").getRow(total.getRowIndex() + 1).getCell(total.getColumnIndex());
            assertEquals(CellType.NUMERIC, value.getCellType());
            assertEquals(0, formulaCells(wb));
        }
    }

    @Test
    void html_is_self_contained_without_script_and_shows_data_as_text() {
        for (ReportTemplate t : ReportTemplate.values()) {
            String html = new String(render(scored, t, ReportFormat.HTML, paramsFor(t)), StandardCharsets.UTF_8);
            assertFalse(html.toLowerCase().contains("<script"), t + " has a script");
            assertFalse(html.toLowerCase().contains("javascript:"), t + " has a javascript: link");
            Matcher src = Pattern.compile("(?i)\\bsrc\\s*=\\s*\"([^\"]*)\"").matcher(html);
            while (src.find()) {
                assertTrue(src.group(1).startsWith("data:image/"), t + " loads " + src.group(1));
            }
            Matcher href = Pattern.compile("(?i)\\bhref\\s*=\\s*\"([^\"]*)\"").matcher(html);
            while (href.find()) {
                assertTrue(SafeExport.allowedLink(href.group(1)), t + " links to " + href.group(1));
            }
        }
        String list = new String(render(scored, ReportTemplate.CUSTOMER_LIST, ReportFormat.HTML, Map.of()), StandardCharsets.UTF_8);
        assertTrue(list.contains("Customer &lt;b&gt;2&lt;/b&gt; &amp; Co"), "markup in data is escaped");
        assertFalse(list.contains("<b>2</b>"));
        String summary = new String(render(scored, ReportTemplate.EXECUTIVE_SUMMARY, ReportFormat.HTML, Map.of()), StandardCharsets.UTF_8);
        assertTrue(summary.contains("src=\"data:image/"), "charts are inline images");
    }

    @Test
    void pdf_embeds_every_font(@TempDir Path tmp) throws Exception {
        for (ReportTemplate t : ReportTemplate.values()) {
            byte[] bytes = render(scored, t, ReportFormat.PDF, paramsFor(t));
            String pdf = new String(bytes, StandardCharsets.ISO_8859_1);
            assertTrue(pdf.contains("/FontFile2"), t + " embeds no font");
            assertTrue(pdf.contains("DejaVuSans"), t + " does not use the shipped DejaVu fonts");
            assertFalse(pdf.contains("/Subtype/Type1") || pdf.contains("/Subtype /Type1"), t + " uses a non-embedded standard font");
            List<String> fonts = PdfFonts.list(tmp, bytes);
            assertFalse(fonts.isEmpty(), t + ": pdffonts lists no fonts");
            for (String line : fonts) {
                assertTrue(line.contains(" yes "), t + ": font not embedded: " + line);
            }
        }
    }

    @Test
    void customer_list_pdf_pages_show_every_cell_and_page_x_of_y() throws Exception {
        com.lowagie.text.pdf.PdfReader reader = new com.lowagie.text.pdf.PdfReader(render(scored, ReportTemplate.CUSTOMER_LIST, ReportFormat.PDF, Map.of()));
        try {
            int pages = reader.getNumberOfPages();
            assertTrue(pages > 1, "300 customers take more than one page");
            var extractor = new com.lowagie.text.pdf.parser.PdfTextExtractor(reader);
            String first = extractor.getTextFromPage(1);
            assertTrue(first.contains("Page 1 of " + pages), "footer of page 1: " + first);
            assertTrue(first.contains("Customer <b>"), "names are drawn as text, markup and all");
            assertTrue(first.contains("$"), "CLV with its currency");
            String last = extractor.getTextFromPage(pages);
            assertTrue(last.contains("Page " + pages + " of " + pages), "footer of the last page");
            assertTrue(last.contains("300 customers."), "the summary");
        } finally {
            reader.close();
        }
    }

    @Test
    void csv_keeps_formula_like_text_inert_and_numbers_plain() {
        String csv = new String(render(scored, ReportTemplate.CUSTOMER_LIST, ReportFormat.CSV, Map.of()), StandardCharsets.UTF_8);
        List<String> lines = csv.lines().toList();
        assertEquals("customer,name,segment,status,risk,clv,expected_purchases,p_alive,last_purchase,action", lines.get(0));
        String c1 = lines.stream().filter(l -> l.startsWith("C1,")).findFirst().orElseThrow();
        assertTrue(c1.startsWith("C1,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\","), c1);
        assertEquals(301, lines.size(), "a header and one row per customer");
        assertTrue(lines.get(1).matches("C\\d+,.*,\\d+\\.\\d+,.*"), "numbers are plain: " + lines.get(1));
        assertEquals("-12.5", SafeExport.neutraliseCsv("-12.5"));
        assertEquals("'-1+2", SafeExport.neutraliseCsv("-1+2"));
        assertEquals("'@SUM(A1)", SafeExport.neutraliseCsv("@SUM(A1)"));
    }

    @Test
    void parameters_filter_the_customer_list() {
        String csv = new String(render(scored, ReportTemplate.CUSTOMER_LIST, ReportFormat.CSV,
                Map.of("segment", "LOYAL", "minClv", "500")), StandardCharsets.UTF_8);
        List<String> rows = csv.lines().skip(1).toList();
        assertFalse(rows.isEmpty());
        for (String r : rows) {
            assertTrue(r.contains(",loyal,"), r);
        }
        assertTrue(rows.size() < 75, "the filters drop customers");
    }

    @Test
    void the_streamed_customer_list_xlsx_holds_the_rows_the_parameters_select() throws Exception {
        Map<String, String> params = Map.of("segment", "LOYAL", "minClv", "500");
        long csvRows = new String(render(scored, ReportTemplate.CUSTOMER_LIST, ReportFormat.CSV, params), StandardCharsets.UTF_8)
                .lines().skip(1).count();
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(render(scored, ReportTemplate.CUSTOMER_LIST, ReportFormat.XLSX, params)))) {
            XSSFSheet sheet = wb.getSheet("Customers");
            assertTrue(findCell(sheet, "Parameters: minClv = 500, segment = LOYAL") != null, "the parameters in the title");
            assertTrue(findCell(sheet, "CLV, expected purchases and P(alive) from model run #1. Sorted by CLV, highest first.") != null,
                    "the title band's note as the template fills it");
            Row header = findRow(sheet, "Customer");
            int segment = -1;
            for (Cell c : header) {
                segment = "Segment".equals(c.getStringCellValue()) ? c.getColumnIndex() : segment;
            }
            long rows = 0;
            for (int r = header.getRowNum() + 1; r <= sheet.getLastRowNum(); r++) {
                assertEquals("loyal", sheet.getRow(r).getCell(segment).getStringCellValue());
                rows++;
            }
            assertEquals(csvRows, rows, "the same customers as the CSV");
        }
    }

    @Test
    void a_list_column_format_joins_parameters_and_text_and_refuses_code() {
        var currency = new net.sf.jasperreports.engine.design.JRDesignExpression("$P{CURRENCY_SYMBOL} + \"#,##0.00\"");
        assertEquals("$#,##0.00", StreamedList.pattern(currency, Map.of("CURRENCY_SYMBOL", "$")));
        assertEquals("\"€\"#,##0.00", StreamedList.pattern(currency, Map.of("CURRENCY_SYMBOL", "€")));
        var code = new net.sf.jasperreports.engine.design.JRDesignExpression("$P{CURRENCY_SYMBOL}.trim() + \"0\"");
        assertThrows(IllegalStateException.class, () -> StreamedList.pattern(code, Map.of("CURRENCY_SYMBOL", "$")));
    }

    @Test
    void bad_requests_name_the_rule_broken() {
        ReportRenderer r = ReportRenderer.of(scored);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var unknown = assertThrows(DataValidationException.class, () -> r.render("../../etc/passwd", ReportFormat.PDF, Map.of(), out));
        assertTrue(unknown.getMessage().contains("unknown template"));
        var param = assertThrows(DataValidationException.class, () -> r.render("customer-list", ReportFormat.PDF, Map.of("REPORT_CONNECTION", "x"), out));
        assertTrue(param.getMessage().contains("--param REPORT_CONNECTION: template customer-list has no such parameter; it takes minClv, risk, segment"), param.getMessage());
        var number = assertThrows(DataValidationException.class, () -> r.render("customer-list", ReportFormat.PDF, Map.of("minClv", "lots"), out));
        assertEquals("--param minClv: must be a number (got \"lots\")", number.getMessage());
        var required = assertThrows(DataValidationException.class, () -> r.render("customer-profile", ReportFormat.PDF, Map.of(), out));
        assertTrue(required.getMessage().startsWith("--param customer: template customer-profile requires it"));
        assertEquals(0, out.size(), "nothing is written for a bad request");
    }

    @Test
    void product_report_uses_the_stored_product_analysis() {
        String html = new String(render(scored, ReportTemplate.PRODUCT_PERFORMANCE, ReportFormat.HTML, Map.of()), StandardCharsets.UTF_8);
        assertTrue(html.contains("discontinued"), "the stage from product_lifecycle");
        assertTrue(html.contains("9.99"), "the lift from product_affinity");
    }

    @Test
    void an_unknown_customer_profile_says_so() {
        String html = new String(render(scored, ReportTemplate.CUSTOMER_PROFILE, ReportFormat.HTML, Map.of("customer", "nobody")), StandardCharsets.UTF_8);
        assertTrue(html.contains("No customer with id &quot;nobody&quot; in this store.") || html.contains("No customer with id \"nobody\""), "unknown customer");
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static int formulaCells(XSSFWorkbook wb) {
        int n = 0;
        for (var sheet : wb) {
            for (Row row : sheet) {
                for (Cell c : row) {
                    if (c.getCellType() == CellType.FORMULA) {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    private static Row findRow(XSSFSheet sheet, String firstCell) {
        for (Row row : sheet) {
            Cell c = row.getCell(row.getFirstCellNum());
            if (c != null && c.getCellType() == CellType.STRING && firstCell.equals(c.getStringCellValue())) {
                return row;
            }
        }
        throw new AssertionError("no row starting with " + firstCell);
    }

    private static Cell findCell(org.apache.poi.ss.usermodel.Sheet sheet, String text) {
        for (Row row : sheet) {
            for (Cell c : row) {
                if (c.getCellType() == CellType.STRING && text.equals(c.getStringCellValue())) {
                    return c;
                }
            }
        }
        throw new AssertionError("no cell " + text + " in sheet " + sheet.getSheetName());
    }
}
