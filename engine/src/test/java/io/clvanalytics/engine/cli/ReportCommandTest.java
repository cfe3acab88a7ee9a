package io.clvanalytics.engine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.jasper.ReportFormat;
import io.clvanalytics.engine.jasper.ReportTemplate;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code clv report} on a store built the way users build one: {@code clv generate}, {@code clv fit}
 * with a holdout period, {@code clv score} and {@code clv retention}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportCommandTest {

    private Path dir;
    private String db;

    @BeforeAll
    void buildAStoreWithTheCommandLine(@TempDir Path tmp) {
        dir = tmp;
        db = tmp.resolve("demo.duckdb").toString();
        ok(CliRun.of("generate", "--db", db, "--customers", "1500", "--seed", "7", "--products", "40", "--end", "2025-12-31"));
        ok(CliRun.of("fit", "--db", db, "--model", "bgnbd", "--calibration-end", "2025-06-30", "--holdout-end", "2025-12-31"));
        ok(CliRun.of("score", "--db", db, "--model", "bgnbd"));
        ok(CliRun.of("retention", "--db", db, "--limit", "5"));
    }

    private static CliRun ok(CliRun run) {
        assertEquals(0, run.exitCode(), run.err() + run.out());
        return run;
    }

    @Test
    void a_report_file_gets_the_mode_of_any_new_file_not_0600() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("modes"));
        Path reference = folder.resolve("reference.txt");
        Files.writeString(reference, "made like any file");
        Path out = folder.resolve("kpis.csv");
        ok(CliRun.of("report", "--db", db, "--template", "executive-summary", "--out", out.toString()));
        assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(reference)),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
    }

    @Test
    void a_report_into_a_folder_that_cannot_be_made_exits_2_with_the_reason_and_no_stack_trace() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        CliRun run = CliRun.of("report", "--db", db, "--template", "executive-summary", "--out", file.resolve("sub/r.pdf").toString());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().startsWith("error: --out " + file.resolve("sub/r.pdf")), run.err());
        assertTrue(run.err().contains("cannot write " + file.resolve("sub") + " (Not a directory)"), run.err());
        assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), run.err());
    }

    @Test
    void list_names_every_template_with_its_parameters() {
        CliRun run = ok(CliRun.of("report", "--list", "--db", db));
        for (ReportTemplate t : ReportTemplate.values()) {
            assertTrue(run.out().contains(t.templateName()), t.templateName() + " in\n" + run.out());
        }
        assertTrue(run.out().contains("customer (required): String"), run.out());
        assertTrue(run.out().contains("minClv: Double"), run.out());
    }

    @Test
    void every_template_renders_in_every_format_from_generated_data() throws Exception {
        for (ReportTemplate t : ReportTemplate.values()) {
            for (ReportFormat f : ReportFormat.values()) {
                Path out = dir.resolve("out").resolve(t.templateName() + "." + f.extension());
                String[] args = t == ReportTemplate.CUSTOMER_PROFILE
                        ? new String[] {"report", "--db", db, "--template", t.templateName(), "--out", out.toString(), "--param", "customer=C0000042"}
                        : new String[] {"report", "--db", db, "--template", t.templateName(), "--out", out.toString()};
                CliRun run = ok(CliRun.of(args));
                assertTrue(run.out().startsWith("wrote " + out), run.out());
                byte[] bytes = Files.readAllBytes(out);
                assertTrue(bytes.length > 0, out.toString());
                if (f == ReportFormat.PDF) {
                    assertEquals("%PDF", new String(bytes, 0, 4, StandardCharsets.US_ASCII));
                }
                if (f == ReportFormat.XLSX) {
                    try (InputStream in = Files.newInputStream(out); XSSFWorkbook wb = new XSSFWorkbook(in)) {
                        for (var sheet : wb) {
                            for (Row row : sheet) {
                                for (Cell c : row) {
                                    assertTrue(c.getCellType() != CellType.FORMULA, out + " has a formula");
                                }
                            }
                        }
                    }
                }
            }
        }
        String summary = Files.readString(dir.resolve("out").resolve("executive-summary.html"));
        assertTrue(summary.contains("CLV from model run #1 (bgnbd"), "the summary names the model run");
        String diagnostics = Files.readString(dir.resolve("out").resolve("model-diagnostics.html"));
        assertTrue(diagnostics.contains("data:image/png;base64,"), "calibration and tracking charts");
        assertFalse(Files.readString(dir.resolve("out").resolve("retention.html")).contains("No retention run yet"));
    }

    @Test
    void a_bad_template_or_parameter_exits_with_two_and_writes_nothing() throws Exception {
        Path out = dir.resolve("bad").resolve("x.pdf");
        CliRun unknown = CliRun.of("report", "--db", db, "--template", "/etc/passwd", "--out", out.toString());
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("unknown template \"/etc/passwd\""), unknown.err());
        CliRun param = CliRun.of("report", "--db", db, "--template", "customer-list", "--out", out.toString(), "--param", "minClv=abc");
        assertEquals(2, param.exitCode());
        assertTrue(param.err().contains("--param minClv: must be a number (got \"abc\")"), param.err());
        CliRun format = CliRun.of("report", "--db", db, "--template", "customer-list", "--out", dir.resolve("x.docx").toString());
        assertEquals(2, format.exitCode());
        assertTrue(format.err().contains("--format: \"docx\" is not a report format"), format.err());
        assertFalse(Files.exists(out));
        if (Files.exists(out.getParent())) {
            try (Stream<Path> left = Files.list(out.getParent())) {
                assertEquals(0, left.count(), "no partial files");
            }
        }
    }
}
