package io.clvanalytics.engine.jasper;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a browser page of a long list holds, and what a store without a currency shows. */
class ReportPageLimitsTest {

    private static byte[] render(Engine engine, ReportTemplate t, ReportFormat f) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ReportRenderer.of(engine).render(t.templateName(), f, Map.of(), out);
        return out.toByteArray();
    }

    @Test
    void the_html_of_a_long_list_shows_the_first_1000_rows_and_says_so_while_csv_holds_all(@TempDir Path dir) throws Exception {
        try (Engine engine = ReportFixture.create(dir.resolve("long.duckdb"), 1200, true)) {
            String html = new String(render(engine, ReportTemplate.CUSTOMER_LIST, ReportFormat.HTML), StandardCharsets.UTF_8);
            assertTrue(html.contains("This page shows the first 1000 customers"), "the page says it is cut");
            long shown = java.util.regex.Pattern.compile(">C\\d+<").matcher(html).results().count();
            assertTrue(shown == 1000, shown + " customers on the page");
            String csv = new String(render(engine, ReportTemplate.CUSTOMER_LIST, ReportFormat.CSV), StandardCharsets.UTF_8);
            assertTrue(csv.strip().split("\n").length == 1201, "the CSV holds every customer");
        }
    }

    @Test
    void a_store_without_a_currency_shows_no_currency_symbol(@TempDir Path dir) throws Exception {
        try (Engine engine = ReportFixture.create(dir.resolve("nocurrency.duckdb"), 40, true)) {
            try (Connection c = engine.connect(); Statement st = c.createStatement()) {
                st.execute("UPDATE transactions SET currency = NULL");
            }
            for (ReportTemplate t : new ReportTemplate[] {ReportTemplate.EXECUTIVE_SUMMARY, ReportTemplate.CUSTOMER_LIST}) {
                try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(render(engine, t, ReportFormat.XLSX)))) {
                    for (String format : wb.getStylesSource().getNumberFormats().values()) {
                        assertFalse(format.contains("$"), t + " number format " + format);
                    }
                }
            }
        }
    }
}
