package io.clvanalytics.bench;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.lifecycle.DateWindow;
import io.clvanalytics.engine.lifecycle.Period;
import io.clvanalytics.engine.lifecycle.ProductAnalytics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Product analytics for the whole catalogue on a store of {@code --transactions} lines (default
 * 10,000,000): metrics over the whole history and per month, trends and lifecycle stages (stored),
 * and affinity rules (stored), each compared in the same run with one full scan of the columns of
 * {@code transactions} they read. The store is built in SQL: 4,000 products with skewed popularity
 * and launch dates, 3-line orders over three years, a postage line in every tenth order, 3 % returns.
 */
final class ProductBench implements Benchmark {

    static final int PRODUCTS = 4_000;

    @Override
    public String name() {
        return "product";
    }

    @Override
    public String description() {
        return "product metrics, trends + lifecycle stages and affinity for the whole catalogue on N transactions vs one full scan of transactions";
    }

    @Override
    public List<BenchResult> run(BenchContext ctx) throws Exception {
        long rows = ctx.transactions();
        Path store = ctx.workDir().resolve("product.duckdb");
        List<BenchResult> out = new ArrayList<>();
        try (Engine engine = Engine.open(store)) {
            ctx.measure("building a " + rows + "-line store", () -> build(engine, rows));
            engine.checkpoint();
            Measurement scan = ctx.measure("one full scan of transactions", () -> scan(engine));
            ProductAnalytics pa = ProductAnalytics.of(engine);
            DateWindow all = pa.fullHistory();
            Measurement metrics = ctx.measure("catalogue metrics, whole history", () ->
                    pa.calculateCatalogueMetrics(all, Period.WINDOW).size());
            Measurement monthly = ctx.measure("catalogue metrics per month", () ->
                    pa.calculateCatalogueMetrics(all, Period.MONTH).size());
            Measurement lifecycle = ctx.measure("trends and lifecycle stages (stored)", () ->
                    pa.analyzeCatalogueLifecycle(all.to()).size());
            Measurement affinity = ctx.measure("affinity rules (stored)", () -> pa.computeAffinity(all).rules());
            Measurement total = ctx.measure("metrics + trends + stages + affinity", () -> {
                long n = pa.calculateCatalogueMetrics(all, Period.WINDOW).size();
                n += pa.analyzeCatalogueLifecycle(all.to()).size();
                pa.computeAffinity(all);
                return n;
            });
            String baseline = "one full scan of transactions";
            out.add(BenchResult.timed(name(), String.format(Locale.ROOT,
                    "metrics + trends + stages + affinity, %,d lines, %,d products", rows, PRODUCTS), total, baseline, scan));
            out.add(BenchResult.timed(name(), "  metrics, whole history", metrics, baseline, scan));
            out.add(BenchResult.timed(name(), "  metrics per month", monthly, baseline, scan));
            out.add(BenchResult.timed(name(), "  trends and lifecycle stages", lifecycle, baseline, scan));
            out.add(BenchResult.timed(name(), "  affinity rules", affinity, baseline, scan));
        } finally {
            Files.deleteIfExists(store);
            Files.deleteIfExists(store.resolveSibling("product.duckdb.wal"));
        }
        return out;
    }

    private static long build(Engine engine, long rows) throws SQLException {
        long customers = Math.max(1, rows / 10);
        try (Connection c = engine.connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO import_batches (id, kind, source, started_at) VALUES (1, 'bench', 'ProductBench', current_timestamp)");
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO products (id, source_id, name, is_product, launch_date, batch_id)
                    SELECT i, 'P' || lpad(i::VARCHAR, 5, '0'), 'Product ' || i, true, DATE '2021-10-01' + ((i * 37) % 900)::INTEGER, 1
                    FROM range(1, ? + 1) r(i)
                    UNION ALL SELECT ? + 1, 'POST', 'Postage', false, NULL, 1
                    """)) {
                ps.setInt(1, PRODUCTS);
                ps.setInt(2, PRODUCTS);
                ps.execute();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO customers (id, source_id, batch_id) SELECT i, 'C' || i, 1 FROM range(1, ? + 1) r(i)")) {
                ps.setLong(1, customers);
                ps.execute();
            }
            // Line i belongs to order i // 3; product popularity falls off as u^2 over uniform u from hash(i).
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO transactions (id, customer_id, product_id, order_id, date, quantity, unit_price, amount, is_return, batch_id)
                    SELECT i, 1 + ((i // 3) * 7919) % ?, p, 'O' || (i // 3), d, q,
                           1 + p % 20, CASE WHEN ret THEN -q * (1 + p % 20) ELSE q * (1 + p % 20) END, ret, 1
                    FROM (
                        SELECT i,
                               CASE WHEN i % 30 = 2 THEN ? + 1
                                    ELSE 1 + floor(? * pow((hash(i) % 1000003) / 1000003.0, 2))::BIGINT END AS p,
                               DATE '2022-01-01' + (((i // 3) * 37) % 1095)::INTEGER AS d,
                               CASE WHEN i % 33 = 0 THEN -1 ELSE 1 END * (1 + i % 4) AS q,
                               i % 33 = 0 AS ret
                        FROM range(?) r(i)
                    )
                    """)) {
                ps.setLong(1, customers);
                ps.setInt(2, PRODUCTS);
                ps.setInt(3, PRODUCTS);
                ps.setLong(4, rows);
                ps.execute();
            }
        }
        return rows;
    }

    /** Reads every column product analytics reads, once. */
    private static long scan(Engine engine) throws SQLException {
        try (Connection c = engine.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT count(*), sum(amount), sum(quantity), max(date), max(order_id), max(customer_id), max(product_id),
                       count(*) FILTER (WHERE is_return)
                FROM transactions
                """)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
