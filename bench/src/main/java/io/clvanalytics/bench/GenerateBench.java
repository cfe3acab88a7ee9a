package io.clvanalytics.bench;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.generate.DemoDataGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Generating {@code --customers} customers (default 1,000,000, about 10 million transaction lines) into a
 * new store, wall time, compared in the same run with two ways of writing the same number of transaction
 * rows without any simulation: DuckDB's appender alone, and {@code INSERT ... SELECT ... FROM range(n)}.
 * The generated store becomes the run's shared store when none exists yet.
 */
final class GenerateBench implements Benchmark {

    @Override
    public String name() {
        return "generate";
    }

    @Override
    public String description() {
        return "clv generate of N customers vs writing the same transaction rows with the appender alone / INSERT ... SELECT range()";
    }

    @Override
    public List<BenchResult> run(BenchContext ctx) throws Exception {
        boolean becomesShared = !ctx.hasSharedStore();
        Path target = becomesShared ? ctx.sharedStorePath() : ctx.workDir().resolve("generate.duckdb");
        long[] orders = new long[1];
        Measurement gen = ctx.measure("generate " + ctx.customers() + " customers", () -> {
            try (Engine engine = Engine.open(target)) {
                DemoDataGenerator.Summary s = DemoDataGenerator.generate(engine, ctx.sharedConfig(),
                        DemoDataGenerator.ProgressListener.NONE);
                orders[0] = s.orders();
                return s.transactions();
            }
        });
        if (becomesShared) {
            ctx.sharedStoreGenerated();
        } else {
            Files.deleteIfExists(target);
        }
        long rows = gen.rows();
        Measurement appender = ctx.measure("appender alone, " + rows + " rows", () -> appendRows(ctx.workDir().resolve("appender.duckdb"), rows));
        Measurement insert = ctx.measure("INSERT ... SELECT range(" + rows + ")", () -> insertRange(ctx.workDir().resolve("insert.duckdb"), rows));
        String step = String.format(Locale.ROOT, "generate %,d customers (%,d orders)", ctx.customers(), orders[0]);
        return List.of(
                BenchResult.timed(name(), step, gen, "DuckDB appender alone, same rows", appender),
                BenchResult.timed(name(), step, gen, "INSERT ... SELECT FROM range(n), same rows", insert));
    }

    /** Writes {@code rows} transaction rows through one appender, values from the row number only. */
    private static long appendRows(Path file, long rows) throws SQLException {
        try (Engine engine = Engine.open(file); Connection c = engine.connect()) {
            c.setAutoCommit(false);
            try (DuckDBAppender a = c.unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, "transactions")) {
                for (long i = 0; i < rows; i++) {
                    int day = 18_628 + (int) (i % 1826);
                    a.beginRow().append(i + 1).append(i / 10 + 1).append(i % 300 + 1).append("O" + (i / 3 + 1))
                            .appendEpochDays(day).appendEpochMicros(day * 86_400_000_000L + 36_000_000_000L)
                            .append(1.0).appendDecimal(123_400L).appendDecimal(123_400L).append("USD")
                            .append("United States").append(false).append(1L).appendNull().endRow();
                }
            }
            c.commit();
            engine.checkpoint();
        }
        return rows;
    }

    /** The same rows computed in SQL. */
    private static long insertRange(Path file, long rows) throws SQLException {
        try (Engine engine = Engine.open(file); Connection c = engine.connect();
             PreparedStatement ps = c.prepareStatement("""
                     INSERT INTO transactions
                     SELECT i + 1, i // 10 + 1, i % 300 + 1, 'O' || (i // 3 + 1),
                            DATE '2021-01-01' + CAST(i % 1826 AS INTEGER),
                            (DATE '2021-01-01' + CAST(i % 1826 AS INTEGER)) + INTERVAL 10 HOUR,
                            1.0, 12.34, 12.34, 'USD', 'United States', false, 1, NULL
                     FROM range(?) t(i)""")) {
            ps.setLong(1, rows);
            ps.executeUpdate();
            engine.checkpoint();
        }
        return rows;
    }
}
