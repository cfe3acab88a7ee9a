package io.clvanalytics.engine.jasper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.clv.ClvService;
import io.clvanalytics.engine.clv.RfmSummary;
import io.clvanalytics.engine.clv.TimeUnit;
import io.clvanalytics.engine.retention.RetentionService;
import io.clvanalytics.engine.retention.RetentionSettings;
import io.clvanalytics.engine.testdata.SharedData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every template in every format from the CDNOW sample (Fader and Hardie's CD purchase log, 2,357
 * customers, 1997-01 to 1998-06): BG/NBD fitted on 1997-01..1997-09 with the rest as holdout, scored,
 * retention scored. The file is loaded with DuckDB's CSV reader here because the importer is not part
 * of this build yet.
 */
class CdnowReportsTest {

    @Test
    void every_template_renders_in_every_format_from_cdnow(@TempDir Path dir) throws Exception {
        Path cdnow = SharedData.file("cdnow/CDNOW_sample.txt");
        Clock clock = Clock.fixed(Instant.parse("1998-07-15T08:00:00Z"), ZoneOffset.UTC);
        try (Engine engine = Engine.open(dir.resolve("cdnow.duckdb"), clock)) {
            try (Connection c = engine.connect()) {
                try (Statement st = c.createStatement()) {
                    st.execute("INSERT INTO import_batches (id, kind, source, started_at) VALUES (1, 'test', 'CDNOW_sample.txt', TIMESTAMP '1998-07-15 08:00:00')");
                }
                try (PreparedStatement ps = c.prepareStatement("""
                        CREATE TEMP TABLE raw AS
                        SELECT row_number() OVER () AS line, string_split_regex(trim(column0), '\\s+') AS f
                        FROM read_csv(?, header = false, columns = {'column0': 'VARCHAR'}, delim = '\\t', quote = '', escape = '')
                        """)) {
                    ps.setString(1, cdnow.toString());
                    ps.execute();
                }
                try (Statement st = c.createStatement()) {
                    st.execute("""
                            INSERT INTO customers (id, source_id, name, batch_id)
                            SELECT DISTINCT CAST(f[1] AS BIGINT), f[1], 'CDNOW customer ' || f[1], 1 FROM raw
                            """);
                    st.execute("""
                            INSERT INTO transactions (id, customer_id, date, quantity, amount, currency, batch_id, source_line)
                            SELECT line, CAST(f[1] AS BIGINT), CAST(strptime(f[3], '%Y%m%d') AS DATE), CAST(f[4] AS DOUBLE),
                                   CAST(f[5] AS DECIMAL(18, 4)), 'USD', 1, line FROM raw
                            """);
                    st.execute("""
                            UPDATE customers SET acquisition_date = t.first, last_transaction_date = t.last
                            FROM (SELECT customer_id, min(date) AS first, max(date) AS last FROM transactions GROUP BY customer_id) t
                            WHERE t.customer_id = customers.id
                            """);
                }
            }
            ClvService clv = ClvService.on(engine);
            clv.fit("bgnbd", new RfmSummary.Options(LocalDate.of(1997, 9, 30), LocalDate.of(1998, 6, 30), TimeUnit.WEEK,
                    RfmSummary.Returns.EXCLUDE), 0.0, true);
            clv.score("bgnbd", ClvService.DEFAULT_HORIZON_MONTHS, ClvService.DEFAULT_DISCOUNT_RATE);
            RetentionService.of(engine).score(RetentionSettings.defaults());

            ReportRenderer renderer = ReportRenderer.of(engine);
            for (ReportTemplate t : ReportTemplate.values()) {
                Map<String, String> params = t == ReportTemplate.CUSTOMER_PROFILE ? Map.of("customer", "00004") : Map.of();
                for (ReportFormat f : ReportFormat.values()) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    renderer.render(t.templateName(), f, params, out);
                    assertTrue(out.size() > 0, t + " " + f);
                    if (f == ReportFormat.XLSX) {
                        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(out.toByteArray()))) {
                            assertTrue(wb.getNumberOfSheets() >= 1);
                        }
                    }
                    if (t == ReportTemplate.EXECUTIVE_SUMMARY && f == ReportFormat.HTML) {
                        String html = out.toString(StandardCharsets.UTF_8);
                        assertTrue(html.contains("CLV from model run #1 (bgnbd"), "names the model run");
                        assertTrue(html.contains("2,357"), "CDNOW sample has 2,357 customers");
                    }
                    if (t == ReportTemplate.CUSTOMER_LIST && f == ReportFormat.CSV) {
                        assertEquals(2357 + 1, out.toString(StandardCharsets.UTF_8).lines().count(), "header and every customer");
                    }
                }
            }
        }
    }
}
