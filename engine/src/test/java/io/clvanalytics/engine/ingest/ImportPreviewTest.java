package io.clvanalytics.engine.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's public preview (what the import would read) and the refused import's bad rows as values. */
class ImportPreviewTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }

    @Test
    void aPreviewShowsTheDetectedLayoutMappingDateFormatAndFirstRowsAndWritesNothing() throws IOException {
        Path csv = write("shop.csv", "Client ID;Order Date;Total;Note\nC1;03/01/2024;12,50;first\nC2;15/01/2024;7;\nC3;28/02/2024;1;x\n");
        try (Engine e = Engine.open(dir.resolve("store.duckdb"))) {
            ImportPreview p = Importer.into(e).preview(ImportOptions.builder(csv).build(), 2);
            assertEquals("csv, delimiter ';', header", p.format());
            assertEquals(List.of("Client ID", "Order Date", "Total", "Note"), p.columns());
            assertEquals("Client ID", p.mapping().get(Field.CUSTOMER_ID));
            assertEquals("Order Date", p.mapping().get(Field.DATE));
            assertEquals("Total", p.mapping().get(Field.AMOUNT));
            assertEquals("%d/%m/%Y", p.dateFormat());
            assertEquals(List.of("text", "date", "number", "text"), p.columnKinds());
            assertEquals(List.of(List.of("C1", "03/01/2024", "12,50", "first"), Arrays.asList("C2", "15/01/2024", "7", null)), p.rows());
            assertEquals(List.of(), p.missing());
            assertEquals(0, Stores.count(e, "SELECT count(*) FROM import_batches"));
        }
    }

    @Test
    void aPreviewListsMissingRequiredFieldsAndHonoursUnmappedFields() throws IOException {
        Path csv = write("shop.csv", "customer,amount,when\nC1,3,2024-01-02\n");
        try (Engine e = Engine.open(dir.resolve("store.duckdb"))) {
            ImportPreview auto = Importer.into(e).preview(ImportOptions.builder(csv).build(), 5);
            assertEquals(List.of("date"), auto.missing());
            assertNull(auto.dateFormat());
            ImportPreview mapped = Importer.into(e).preview(ImportOptions.builder(csv).map(Field.DATE, "when")
                    .unmap(Field.AMOUNT).build(), 5);
            assertEquals(List.of(), mapped.missing());
            assertEquals("%Y-%m-%d", mapped.dateFormat());
            assertFalse(mapped.mapping().containsKey(Field.AMOUNT));
        }
    }

    @Test
    void aRefusedImportCarriesEveryBadRowWithLineColumnAndRule() throws IOException {
        Path csv = write("bad.csv", "customer_id,date,amount\nC1,2024-01-02,3\nC2,2024-13-45,4\nC3,2024-01-03,x1\n,2024-01-04,5\nC5,2024-01-05,6\n");
        try (Engine e = Engine.open(dir.resolve("store.duckdb"))) {
            ImportRefusedException refused = assertThrows(ImportRefusedException.class,
                    () -> Importer.into(e).run(ImportOptions.builder(csv).build()));
            assertEquals(5, refused.rowsRead());
            assertEquals(3, refused.rowsRejected());
            assertEquals(List.of(3L, 4L, 5L), refused.rows().stream().map(ImportProblem::line).toList());
            assertEquals(List.of("date", "amount", "customer_id"), refused.rows().stream().map(ImportProblem::column).toList());
            assertTrue(refused.rows().get(1).rule().contains("amount not a number"), refused.rows().get(1).rule());
            assertEquals("x1", refused.rows().get(1).value());
            assertEquals(3, refused.problems().size());
            assertTrue(refused.problems().get(0).startsWith(csv + ":3:date: "), refused.problems().get(0));
            assertEquals(0, Stores.count(e, "SELECT count(*) FROM transactions"));
        }
    }
}
