package io.clvanalytics.engine.jasper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.clv.ClvService;
import io.clvanalytics.engine.clv.RfmSummary;
import io.clvanalytics.engine.clv.TimeUnit;
import io.clvanalytics.engine.ingest.Field;
import io.clvanalytics.engine.ingest.ImportOptions;
import io.clvanalytics.engine.ingest.ImportResult;
import io.clvanalytics.engine.ingest.Importer;
import io.clvanalytics.engine.retention.RetentionService;
import io.clvanalytics.engine.retention.RetentionSettings;
import io.clvanalytics.engine.testdata.SharedData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
 * retention scored. The file goes through the product's importer, as a user's {@code clv import} would load it.
 */
class CdnowReportsTest {

    @Test
    void every_template_renders_in_every_format_from_cdnow(@TempDir Path dir) throws Exception {
        Path cdnow = SharedData.file("cdnow/CDNOW_sample.txt");
        Clock clock = Clock.fixed(Instant.parse("1998-07-15T08:00:00Z"), ZoneOffset.UTC);
        try (Engine engine = Engine.open(dir.resolve("cdnow.duckdb"), clock)) {
            ImportResult imported = Importer.into(engine).run(ImportOptions.builder(cdnow)
                    .map(Field.CUSTOMER_ID, "1").map(Field.DATE, "3").map(Field.QUANTITY, "4").map(Field.AMOUNT, "5")
                    .currency("USD").build());
            assertEquals(6_919, imported.rowsImported(), "every purchase line of the sample");
            assertEquals(2_357, imported.customersCreated());
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
