package io.clvanalytics.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreMaintenanceTest {

    @TempDir
    Path dir;

    @Test
    void maintenanceCheckpointsVacuumsAndAnalyzesWithoutChangingData() throws Exception {
        Path store = OpsFixture.generated(dir.resolve("clv.duckdb"));
        String before = OpsFixture.fingerprint(store);
        StoreMaintenance.Report r;
        try (Engine engine = Engine.open(store)) {
            engine.inTransaction(c -> c.createStatement().executeUpdate("DELETE FROM transactions WHERE customer_id = 1"));
            r = StoreMaintenance.run(engine);
        }
        assertEquals(List.of("before", "CHECKPOINT", "VACUUM", "ANALYZE", "CHECKPOINT"),
                r.steps().stream().map(StoreMaintenance.Step::step).toList());
        StoreMaintenance.Step last = r.steps().get(r.steps().size() - 1);
        assertTrue(last.fileBytes() > 0, "file size reported");
        assertEquals(0, last.walBytes(), "the write-ahead log is empty after the checkpoint");
        String after = OpsFixture.fingerprint(store);
        assertTrue(!after.equals(before), "the delete before maintenance is kept");
        try (Engine engine = Engine.open(store)) {
            StoreMaintenance.run(engine);
        }
        assertEquals(after, OpsFixture.fingerprint(store), "maintenance itself changes no data");
    }
}
