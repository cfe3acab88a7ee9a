package io.clvanalytics.bench;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.quality.CheckResult;
import io.clvanalytics.engine.quality.DataQuality;
import io.clvanalytics.engine.quality.QualityRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The whole data-quality suite over the shared store (about 10 million transactions at the default
 * size), wall time, against one full scan {@code SELECT count(*), sum(amount) FROM transactions} of
 * the same store in the same run. Both run warm: the scan is run once unmeasured first.
 */
final class QualityBench implements Benchmark {

    @Override
    public String name() {
        return "quality";
    }

    @Override
    public String description() {
        return "clv quality (every check) vs one full scan SELECT count(*), sum(amount) FROM transactions";
    }

    @Override
    public List<BenchResult> run(BenchContext ctx) throws Exception {
        Path store = ctx.copyOfSharedStore("quality");
        try (Engine engine = Engine.open(store)) {
            long rows = scan(engine);
            Measurement baseline = ctx.measure("full scan count(*), sum(amount) of " + rows + " rows", () -> scan(engine));
            QualityRun[] run = new QualityRun[1];
            Measurement suite = ctx.measure("quality suite over " + rows + " rows", () -> {
                run[0] = DataQuality.of(engine).run();
                return rows;
            });
            run[0].results().stream().sorted(Comparator.comparingLong(CheckResult::durationMs).reversed()).limit(6)
                    .forEach(r -> ctx.log(String.format(Locale.ROOT, "  %-42s %6d ms  %s", r.name(), r.durationMs(), r.status().label())));
            String step = String.format(Locale.ROOT, "quality suite, %d checks, %,d transactions (score %.1f)",
                    run[0].checksRun(), rows, run[0].score());
            return List.of(BenchResult.timed(name(), step, suite, "one full scan count(*), sum(amount)", baseline));
        } finally {
            Files.deleteIfExists(store);
        }
    }

    private static long scan(Engine engine) throws Exception {
        try (Connection c = engine.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*), sum(amount) FROM transactions")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
