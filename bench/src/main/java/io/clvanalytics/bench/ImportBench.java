package io.clvanalytics.bench;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.cli.ClvCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code clv import} of a CSV of {@code --transactions} invoice lines (default 10,000,000), 0.1 % of them exact
 * repeats of the line before (real exports have such lines, so this measures the usual path), compared in
 * the same run with DuckDB's own {@code read_csv} into a table of the same schema (typed columns,
 * no validation, no customers or products), both into a new store and checkpointed. Goal: ≤ 1.5×.
 * The two sides alternate for {@link #ROUNDS} rounds and each reports its median round: a single
 * round of either swings by a third or more on this class of machine (disk flushes, page cache).
 */
final class ImportBench implements Benchmark {

    private static final int ROUNDS = 5;

    @Override
    public String name() {
        return "import";
    }

    @Override
    public String description() {
        return "clv import of an N-row invoice-line CSV vs DuckDB read_csv into a table of the same schema";
    }

    @Override
    public List<BenchResult> run(BenchContext ctx) throws Exception {
        long rows = ctx.transactions();
        int customers = Math.max(1, Math.min(ctx.customers(), (int) Math.min(Integer.MAX_VALUE, rows / 5)));
        Path csv = ctx.workDir().resolve("import-bench.csv");
        ctx.measure("writing a " + rows + "-row CSV", () -> writeCsv(ctx.workDir().resolve("csv-writer.duckdb"), csv, rows, customers));
        ctx.log(String.format(Locale.ROOT, "CSV: %,d bytes", Files.size(csv)));

        List<Measurement> baselines = new ArrayList<>();
        List<Measurement> imports = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            Path baselineStore = freshStore(ctx.workDir().resolve("baseline.duckdb"));
            baselines.add(ctx.measure("DuckDB read_csv into a table, round " + round, () -> readCsv(baselineStore, csv)));
            Path store = freshStore(ctx.workDir().resolve("import.duckdb"));
            imports.add(ctx.measure("clv import, round " + round, () -> importCsv(store, csv)));
        }
        Measurement baseline = Measurement.median(baselines);
        Measurement imported = Measurement.median(imports);
        for (Measurement m : imports) {
            if (m.rows() != rows) {
                throw new IllegalStateException("clv import stored " + m.rows() + " of " + rows + " rows");
            }
        }
        String step = String.format(Locale.ROOT, "clv import %,d-row CSV (%,d customers), median of %d rounds", rows, customers, ROUNDS);
        return List.of(BenchResult.timed(name(), step, imported, "DuckDB read_csv into a table of the same schema", baseline));
    }

    private static long importCsv(Path store, Path csv) throws SQLException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ClvCli.run(new String[] {"import", "--db", store.toString(), csv.toString()},
                new PrintWriter(out, true), new PrintWriter(err, true));
        if (code != 0) {
            throw new IllegalStateException("clv import exited with " + code + ": " + err);
        }
        try (Engine e = Engine.open(store); Connection c = e.connect(); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT count(*) FROM transactions")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** {@code file}, deleted with its WAL if a kept {@code --dir} holds one from an earlier run: both sides start from a new store. */
    private static Path freshStore(Path file) throws java.io.IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".wal"));
        return file;
    }

    private static long writeCsv(Path scratch, Path csv, long rows, int customers) throws SQLException, java.io.IOException {
        try (Engine e = Engine.open(scratch); Connection c = e.connect(); PreparedStatement ps = c.prepareStatement("""
                COPY (SELECT 10000 + (i * 7919) % ? AS CustomerID, 500000 + i // 4 AS InvoiceNo,
                             strftime(TIMESTAMP '2020-01-01 08:00:00' + to_seconds((i * 37) % 94608000), '%Y-%m-%d %H:%M:%S') AS InvoiceDate,
                             'P' || (20000 + i % 4000) AS StockCode, 1 + i % 12 AS Quantity,
                             round(0.5 + (i % 2000) / 100.0, 2) AS UnitPrice,
                             CASE WHEN i % 10 = 0 THEN 'France' ELSE 'United Kingdom' END AS Country
                      -- every 1,000th line repeats the line before it exactly (0.1 %), as real exports do
                      FROM (SELECT CASE WHEN r % 1000 = 999 THEN r - 1 ELSE r END AS i FROM range(?) t(r) ORDER BY r))
                      TO ? (HEADER, DELIMITER ',')""")) {
            ps.setInt(1, customers);
            ps.setLong(2, rows);
            ps.setString(3, csv.toString());
            ps.executeUpdate();
        }
        Files.deleteIfExists(scratch);
        // Flushed now, so neither side of the comparison pays for writing back the file's dirty pages.
        try (FileChannel ch = FileChannel.open(csv, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        return rows;
    }

    private static long readCsv(Path file, Path csv) throws SQLException {
        try (Engine e = Engine.open(file); Connection c = e.connect()) {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE bench_lines (customer_id VARCHAR, order_id VARCHAR, ts TIMESTAMP, product_id VARCHAR,"
                        + " quantity DOUBLE, unit_price DECIMAL(18,4), country VARCHAR)");
            }
            long n;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO bench_lines SELECT * FROM read_csv(?, header = true,"
                    + " columns = {'CustomerID': 'VARCHAR', 'InvoiceNo': 'VARCHAR', 'InvoiceDate': 'TIMESTAMP', 'StockCode': 'VARCHAR',"
                    + " 'Quantity': 'DOUBLE', 'UnitPrice': 'DECIMAL(18,4)', 'Country': 'VARCHAR'})")) {
                ps.setString(1, csv.toString());
                n = ps.executeUpdate();
            }
            e.checkpoint();
            return n;
        }
    }
}
