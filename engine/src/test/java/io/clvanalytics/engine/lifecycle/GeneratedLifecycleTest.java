package io.clvanalytics.engine.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.generate.DemoDataGenerator;
import io.clvanalytics.engine.generate.GeneratorConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stages against the generator's truth: each generated product's stage at the end date is known by construction. */
class GeneratedLifecycleTest {

    static final List<String> STAGES = List.of("introduction", "growth", "maturity", "decline", "discontinued");

    @TempDir
    Path dir;

    @Test
    void the_stage_at_the_end_date_matches_the_generators_truth_for_at_least_90_percent_of_products() throws Exception {
        // `clv generate`'s defaults: 20,000 customers, 300 products, seed 42 (about 3,000 sale lines a
        // month, so a small product sells a handful of lines a month).
        int customers = 20_000;
        long seed = 42;
        try (Engine engine = Engine.open(dir.resolve("g.duckdb"))) {
            GeneratorConfig cfg = GeneratorConfig.defaults(customers, seed);
            int products = cfg.products();
            assertEquals(300, products);
            DemoDataGenerator.generate(engine, cfg, DemoDataGenerator.ProgressListener.NONE);
            ProductAnalytics.of(engine).analyzeCatalogueLifecycle(cfg.end());

            long[][] confusion = new long[STAGES.size()][STAGES.size() + 1];
            long total = 0;
            long right = 0;
            try (Connection c = engine.connect(); PreparedStatement ps = c.prepareStatement("""
                    SELECT t.stage_at_end AS truth, p.lifecycle_stage AS found, count(*) AS n
                    FROM generated_product_truth t JOIN products p ON p.id = t.product_id
                    GROUP BY ALL
                    """); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int truth = STAGES.indexOf(rs.getString("truth"));
                    String found = rs.getString("found");
                    int col = found == null ? STAGES.size() : STAGES.indexOf(found);
                    confusion[truth][col] += rs.getLong("n");
                    total += rs.getLong("n");
                    if (truth == col) {
                        right += rs.getLong("n");
                    }
                }
            }
            StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-14s", "truth \\ found"));
            for (String s : STAGES) {
                table.append(String.format(Locale.ROOT, "%14s", s));
            }
            table.append(String.format(Locale.ROOT, "%14s%n", "(none)"));
            for (int i = 0; i < STAGES.size(); i++) {
                table.append(String.format(Locale.ROOT, "%-14s", STAGES.get(i)));
                for (long n : confusion[i]) {
                    table.append(String.format(Locale.ROOT, "%14d", n));
                }
                table.append('\n');
            }
            try (Connection c = engine.connect(); PreparedStatement ps = c.prepareStatement("""
                    SELECT p.source_id, t.stage_at_end, l.stage, round(l.confidence, 2) AS conf, round(l.age_months, 1) AS age,
                           round(l.smoothed_level, 2) AS level, round(l.growth, 3) AS growth, round(l.growth_change, 3) AS change, round(l.smoothed_level / l.peak_smoothed_level, 2) AS of_peak
                    FROM generated_product_truth t JOIN products p ON p.id = t.product_id
                    JOIN product_lifecycle l ON l.product_id = p.id
                    WHERE t.stage_at_end <> l.stage ORDER BY 2, 3
                    """); ResultSet rs = ps.executeQuery()) {
                table.append("misclassified: code truth found confidence age level growth change\n");
                while (rs.next()) {
                    table.append(String.format(Locale.ROOT, "  %s %s %s %s %s %s %s %s %s%n", rs.getString(1), rs.getString(2),
                            rs.getString(3), rs.getObject(4), rs.getObject(5), rs.getObject(6), rs.getObject(7), rs.getObject(8),
                            rs.getObject(9)));
                }
            }
            double accuracy = (double) right / total;
            table.append(String.format(Locale.ROOT, "right: %d of %d products (%.1f %%)%n", right, total, 100 * accuracy));
            System.out.println("Lifecycle stage at " + cfg.end() + ", generated store (" + customers + " customers, " + products + " products, seed " + seed + "):");
            System.out.print(table);
            assertTrue(accuracy >= 0.90, "accuracy " + accuracy + "\n" + table);
        }
    }
}
