package io.clvanalytics.engine.ops;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Routine upkeep of a store: {@code CHECKPOINT} (write the write-ahead log into the file),
 * {@code VACUUM} and {@code ANALYZE} (refresh the statistics the query planner uses), reporting what each
 * step did. Safe to run at any time; it changes no data.
 */
public final class StoreMaintenance {

    /** One step: the statement run, how long it took, and the store file and WAL size after it. */
    public record Step(String step, double seconds, long fileBytes, long walBytes) {}

    /** The steps run, in order. */
    public record Report(String store, List<Step> steps) {}

    private StoreMaintenance() {}

    public static Report run(Engine engine) {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step("before", 0, size(engine, ""), size(engine, ".wal")));
        try (Connection c = engine.connect(); Statement st = c.createStatement()) {
            for (String sql : List.of("CHECKPOINT", "VACUUM", "ANALYZE", "CHECKPOINT")) {
                long t0 = System.nanoTime();
                st.execute(sql);
                steps.add(new Step(sql, (System.nanoTime() - t0) / 1e9, size(engine, ""), size(engine, ".wal")));
            }
        } catch (SQLException e) {
            throw new StoreException("maintenance of " + engine.file() + " failed: " + e.getMessage(), e);
        }
        return new Report(engine.file().toString(), steps);
    }

    private static long size(Engine engine, String suffix) {
        try {
            var p = engine.file().resolveSibling(engine.file().getFileName() + suffix);
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (IOException e) {
            return -1;
        }
    }
}
