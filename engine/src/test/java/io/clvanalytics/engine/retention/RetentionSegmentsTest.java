package io.clvanalytics.engine.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.testdata.SharedData;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionSegmentsTest {

    @TempDir
    Path dir;

    @Test
    void onGeneratedDataEveryCustomerIsInExactlyOneSegmentMatchingPlainSqlNtile() throws Exception {
        try (Engine engine = Engine.open(dir.resolve("gen.duckdb"))) {
            GeneratedStores.generate(engine, 3000, 7);
            RetentionRun run = RetentionService.of(engine).score(RetentionSettings.defaults());
            Map<String, Long> sizes = SegmentChecks.assertSegmentsMatchPlainSql(engine, run.id());
            assertTrue(sizes.size() >= 8, "most of the ten segments are populated: " + sizes);
        }
    }

    @Test
    void onCdnowEveryCustomerIsInExactlyOneSegmentMatchingPlainSqlNtile() throws Exception {
        Path cdnow = SharedData.file("cdnow/CDNOW_master.txt");
        try (Engine engine = Engine.open(dir.resolve("cdnow.duckdb"))) {
            RetentionFixtures.cdnow(engine, cdnow);
            RetentionRun run = RetentionService.of(engine).score(RetentionSettings.defaults());
            assertEquals(23_570, run.customers(), "CDNOW has 23,570 customers");
            assertEquals(java.time.LocalDate.of(1998, 6, 30), run.asOf());
            Map<String, Long> sizes = SegmentChecks.assertSegmentsMatchPlainSql(engine, run.id());
            System.out.println("CDNOW segment sizes: " + sizes);
        }
    }
}
