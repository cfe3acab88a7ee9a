package io.clvanalytics.server;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.clv.ClvService;
import io.clvanalytics.engine.clv.TimeUnit;
import io.clvanalytics.engine.generate.DemoDataGenerator;
import io.clvanalytics.engine.generate.GeneratorConfig;
import io.clvanalytics.engine.ingest.ImportOptions;
import io.clvanalytics.engine.ingest.Importer;
import io.clvanalytics.engine.lifecycle.ProductAnalytics;
import io.clvanalytics.engine.quality.DataQuality;
import io.clvanalytics.engine.retention.RetentionService;
import io.clvanalytics.engine.retention.RetentionSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A demo store as a user would have it after a day's work: generated customers, an import with
 * hostile names, a fitted and scored model, retention scores, product stages and a quality run.
 */
public final class DemoStore {

    /** Names that must come out escaped everywhere: script, attribute break-out, spreadsheet formula. */
    public static final List<String> HOSTILE = List.of("<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>",
            "=HYPERLINK(\"http://evil.example\",\"click\")");

    private DemoStore() {}

    /** Customers of the shared demo store (-Dclv.demoCustomers=20000 for the speed figures of README). */
    public static final int CUSTOMERS = Integer.getInteger("clv.demoCustomers", 2_000);

    private static Path built;

    /**
     * A private copy of one demo store built once per test JVM (building takes tens of seconds):
     * tests may write to their copy.
     */
    public static synchronized Path copyTo(Path dir, int customers) {
        try {
            if (built == null) {
                Path home = Files.createTempDirectory("clv-demo-store-");
                built = create(home, customers);
            }
            Path target = dir.resolve("store.duckdb");
            Files.copy(built, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates the store {@code dir/store.duckdb} with {@code customers} generated customers plus three hostile ones. */
    public static Path create(Path dir, int customers) {
        Path file = dir.resolve("store.duckdb");
        try (Engine engine = Engine.open(file)) {
            DemoDataGenerator.generate(engine, GeneratorConfig.defaults(customers, 42), DemoDataGenerator.ProgressListener.NONE, 2);
            Path csv = dir.resolve("hostile.csv");
            StringBuilder b = new StringBuilder("customer_id,customer_name,date,product_id,product_name,quantity,unit_price,order_id\n");
            for (int i = 0; i < HOSTILE.size(); i++) {
                String n = "\"" + HOSTILE.get(i).replace("\"", "\"\"") + "\"";
                for (int k = 0; k < 4; k++) {
                    b.append("H").append(i).append(',').append(n).append(",2025-").append(String.format("%02d", 3 + 3 * k))
                            .append("-15,HX").append(i).append(',').append(n).append(",1,").append(40 + 10 * i).append(",HO")
                            .append(i).append('-').append(k).append('\n');
                }
            }
            Files.writeString(csv, b.toString());
            Importer.into(engine).run(ImportOptions.builder(csv).build());
            ClvService.on(engine).fitAndScore("bgnbd", TimeUnit.WEEK, 0.0, 12, 0.01);
            ClvService.on(engine).fit("bgnbd", new io.clvanalytics.engine.clv.RfmSummary.Options(
                    java.time.LocalDate.of(2025, 6, 30), java.time.LocalDate.of(2025, 12, 31), TimeUnit.WEEK, null), 0.0, true);
            RetentionService.of(engine).score(RetentionSettings.defaults());
            ProductAnalytics.of(engine).analyzeCatalogueLifecycle();
            DataQuality.of(engine).run();
            engine.checkpoint();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
