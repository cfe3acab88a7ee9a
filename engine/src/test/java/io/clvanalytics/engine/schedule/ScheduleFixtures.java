package io.clvanalytics.engine.schedule;

import io.clvanalytics.engine.Engine;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/** Stores with customers for the customer-list report, and checks on archived files. */
final class ScheduleFixtures {

    private ScheduleFixtures() {}

    /** Adds {@code customers} customers (ids 1..n, source ids C1..Cn) to the store of {@code engine}. */
    static void addCustomers(Engine engine, int customers) throws SQLException {
        try (Connection c = engine.connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO import_batches (id, kind, source, started_at) VALUES (1, 'test', 'fixture', TIMESTAMP '2026-11-01 00:00:00')");
            st.execute("""
                    INSERT INTO customers (id, source_id, name, country, segment, status, acquisition_date, batch_id)
                    SELECT i, 'C' || i, 'Customer ' || i, (['US', 'DE', 'FR', 'GB'])[1 + i % 4],
                           (['champions', 'loyal', 'at risk', 'hibernating'])[1 + i % 4], 'active',
                           DATE '2024-01-01' + CAST(i % 600 AS INTEGER), 1
                    FROM range(1, CUSTOMERS + 1) t(i)
                    """.replace("CUSTOMERS", Integer.toString(customers)));
        }
        engine.checkpoint();
    }

    /** Every non-hidden file under {@code root} (recursively), sorted. */
    static List<Path> archivedFiles(Path root) throws Exception {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** The rows of the first sheet, after opening the file with POI (which fails on a damaged file). */
    static int xlsxRows(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file); XSSFWorkbook wb = new XSSFWorkbook(in)) {
            Sheet sheet = wb.getSheetAt(0);
            return sheet.getPhysicalNumberOfRows();
        }
    }

    static List<String> names(List<Path> files) {
        List<String> out = new ArrayList<>();
        files.forEach(f -> out.add(f.getFileName().toString()));
        return out;
    }
}
