package io.clvanalytics.bench;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.cli.ClvCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * {@code clv import} of a CSV of {@code --transactions} invoice lines (default 10,000,000), compared in
 * the same run with DuckDB's own {@code read_csv} into a table of the same schema (typed columns,
 * no validation, no customers or products), both into a new store and checkpointed. Goal: ≤ 1.5×.
 */
final class ImportBench implements Benchmark {

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

        Path baselineStore = freshStore(ctx.workDir().resolve("baseline.duckdb"));
        Measurement baseline = ctx.measure("DuckDB read_csv into a table", () -> readCsv(baselineStore, csv));
        Path store = freshStore(ctx.workDir().resolve("import.duckdb"));
        Measurement imported = ctx.measure("clv import", () -> {
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
        });
        if (imported.rows() != rows) {
            throw new IllegalStateException("clv import stored " + imported.rows() + " of " + rows + " rows");
        }
        String step = String.format(Locale.ROOT, "clv import %,d-row CSV (%,d customers)", rows, customers);
        return List.of(BenchResult.timed(name(), step, imported, "DuckDB read_csv into a table of the same schema", baseline));
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
                      FROM range(?) t(i)) TO ? (HEADER, DELIMITER ',')""")) {
            ps.setInt(1, customers);
            ps.setLong(2, rows);
            ps.setString(3, csv.toString());
            ps.executeUpdate();
        }
        Files.deleteIfExists(scratch);
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
