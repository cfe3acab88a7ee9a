package io.clvanalytics.engine.generate;

import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.StoreException;
import io.clvanalytics.engine.clv.PurchaseDays;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Fills an empty store with demo data drawn from {@link GeneratorConfig}: customers, products with
 * lifecycles, transactions with returns, one {@code import_batches} row of kind {@code generated}, the
 * parameters as JSON in {@code store_meta} (key {@value GeneratorConfig#STORE_META_KEY}) and the per
 * customer and per product truth in {@code generated_customer_truth} and {@code generated_product_truth}.
 *
 * <p>Contract: the same configuration gives the same rows (ids included) whatever the number of
 * threads; everything is written in one transaction, so a failed run leaves the store as it was; a
 * store that already holds customers, products or transactions is refused with
 * {@link DataValidationException}. Customers are simulated in parallel chunks and written in order
 * through DuckDB's appender, so memory stays bounded by a few chunks.
 */
public final class DemoDataGenerator {

    /** What a run wrote. */
    public record Summary(String store, long seed, long customers, long products, long orders, long transactions,
                          long returns, LocalDate firstDate, LocalDate lastDate, long batchId, double seconds) {}

    /** Told how many customers are written so far, of how many. */
    @FunctionalInterface
    public interface ProgressListener {
        void customersWritten(long done, long total);

        ProgressListener NONE = (done, total) -> { };
    }

    private static final int CHUNK = 2_000;

    private DemoDataGenerator() {}

    /** Generates with one worker thread per available processor. */
    public static Summary generate(Engine engine, GeneratorConfig cfg, ProgressListener progress) {
        return generate(engine, cfg, progress, Runtime.getRuntime().availableProcessors());
    }

    /** Generates with {@code threads} simulation threads; the result does not depend on their number. */
    public static Summary generate(Engine engine, GeneratorConfig cfg, ProgressListener progress, int threads) {
        cfg.validate(LocalDate.now(engine.clock()));
        long started = System.nanoTime();
        LocalDateTime startedAt = LocalDateTime.now(engine.clock());
        ProductCatalog catalog = ProductCatalog.build(cfg);
        CustomerSimulator simulator = new CustomerSimulator(cfg, catalog);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "clv-generate");
            t.setDaemon(true);
            return t;
        });
        try (Connection c = engine.connect()) {
            c.setAutoCommit(false);
            try {
                refuseNonEmpty(c, engine);
                long batchId = nextBatchId(c);
                Writer w = new Writer(c.unwrap(DuckDBConnection.class), batchId, cfg);
                w.products(catalog);
                Deque<Future<CustomerChunk>> inFlight = new ArrayDeque<>();
                int next = 0;
                int maxInFlight = Math.max(2, threads * 3);
                while (next < cfg.customers() || !inFlight.isEmpty()) {
                    while (next < cfg.customers() && inFlight.size() < maxInFlight) {
                        int first = next;
                        int count = Math.min(CHUNK, cfg.customers() - first);
                        inFlight.add(pool.submit(() -> simulator.simulate(first, count)));
                        next += count;
                    }
                    CustomerChunk chunk = inFlight.removeFirst().get();
                    w.chunk(chunk);
                    progress.customersWritten(chunk.firstCustomer + (long) chunk.count, cfg.customers());
                }
                w.close();
                finish(c, engine, cfg, batchId, startedAt, w);
                PurchaseDays.rebuild(c);
                c.commit();
                engine.checkpoint();
                return new Summary(engine.file().toString(), cfg.seed(), cfg.customers(), catalog.products().size(),
                        w.orders, w.transactions, w.returns,
                        w.firstDay == Integer.MAX_VALUE ? null : LocalDate.ofEpochDay(w.firstDay),
                        w.lastDay == Integer.MIN_VALUE ? null : LocalDate.ofEpochDay(w.lastDay),
                        batchId, (System.nanoTime() - started) / 1e9);
            } catch (SQLException | RuntimeException | ExecutionException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException | ExecutionException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new StoreException("generating demo data into " + engine.file() + " failed: " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("generating demo data into " + engine.file() + " was interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void refuseNonEmpty(Connection c, Engine engine) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT (SELECT count(*) FROM customers), (SELECT count(*) FROM products), (SELECT count(*) FROM transactions)")) {
            rs.next();
            if (rs.getLong(1) + rs.getLong(2) + rs.getLong(3) > 0) {
                throw new DataValidationException("--db: store " + engine.file() + " already holds data (" + rs.getLong(1)
                        + " customers, " + rs.getLong(2) + " products, " + rs.getLong(3)
                        + " transactions); the generator only fills a new, empty store. Pick a new --db file.");
            }
        }
    }

    private static long nextBatchId(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT nextval('import_batch_seq')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void finish(Connection c, Engine engine, GeneratorConfig cfg, long batchId, LocalDateTime startedAt,
                               Writer w) throws SQLException {
        String json = cfg.toJson();
        Timestamp now = Timestamp.valueOf(LocalDateTime.now(engine.clock()));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO import_batches(id, kind, source, content_sha256,"
                + " started_at, finished_at, rows_read, rows_imported, rows_rejected, details_json)"
                + " VALUES (?, 'generated', ?, NULL, ?, ?, ?, ?, 0, ?)")) {
            ps.setLong(1, batchId);
            ps.setString(2, "clv generate --customers " + cfg.customers() + " --seed " + cfg.seed());
            ps.setTimestamp(3, Timestamp.valueOf(startedAt));
            ps.setTimestamp(4, now);
            ps.setLong(5, w.transactions);
            ps.setLong(6, w.transactions);
            ps.setString(7, json);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT OR REPLACE INTO store_meta(key, value, updated_at) VALUES (?, ?, ?)")) {
            ps.setString(1, GeneratorConfig.STORE_META_KEY);
            ps.setString(2, json);
            ps.setTimestamp(3, now);
            ps.executeUpdate();
        }
    }

    /** Appends rows through DuckDB appenders, matching columns by name so new nullable columns do not break it. */
    private static final class Writer {
        private final DuckDBConnection conn;
        private final long batchId;
        private final GeneratorConfig cfg;
        private final List<DuckDBAppender> open = new ArrayList<>();
        private DuckDBAppender customers;
        private String[] customerCols;
        private DuckDBAppender truth;
        private DuckDBAppender tx;
        private String[] txCols;
        private String[] productIds;
        long orders;
        long transactions;
        long returns;
        int firstDay = Integer.MAX_VALUE;
        int lastDay = Integer.MIN_VALUE;

        Writer(DuckDBConnection conn, long batchId, GeneratorConfig cfg) {
            this.conn = conn;
            this.batchId = batchId;
            this.cfg = cfg;
        }

        private DuckDBAppender appender(String table) throws SQLException {
            DuckDBAppender a = conn.createAppender(DuckDBConnection.DEFAULT_SCHEMA, table);
            open.add(a);
            return a;
        }

        private String[] columns(String table) throws SQLException {
            List<String> cols = new ArrayList<>();
            try (PreparedStatement ps = conn.prepareStatement("SELECT column_name FROM information_schema.columns"
                    + " WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position")) {
                ps.setString(1, table);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        cols.add(rs.getString(1));
                    }
                }
            }
            return cols.toArray(String[]::new);
        }

        void products(ProductCatalog catalog) throws SQLException {
            String[] cols = columns("products");
            DuckDBAppender a = appender("products");
            DuckDBAppender t = appender("generated_product_truth");
            productIds = new String[catalog.products().size()];
            for (ProductCatalog.Product p : catalog.products()) {
                long id = p.index() + 1L;
                a.beginRow();
                for (String col : cols) {
                    switch (col) {
                        case "id" -> a.append(id);
                        case "source_id" -> a.append(p.sourceId());
                        case "name" -> a.append(p.name());
                        case "category" -> a.append(p.category());
                        case "subcategory" -> a.append(p.subcategory());
                        case "is_product" -> a.append(true);
                        case "launch_date" -> a.appendEpochDays((int) p.launchDay());
                        case "batch_id" -> a.append(batchId);
                        default -> a.appendNull();
                    }
                }
                a.endRow();
                t.beginRow().append(id).appendEpochDays((int) p.launchDay()).append(p.stageAtEnd().label());
                if (p.stageAtEnd() == LifecycleStage.DISCONTINUED) {
                    t.appendEpochDays((int) p.discontinuedDay());
                } else {
                    t.appendNull();
                }
                t.endRow();
            }
            a.flush();
            t.flush();
            customers = appender("customers");
            customerCols = columns("customers");
            truth = appender("generated_customer_truth");
            tx = appender("transactions");
            txCols = columns("transactions");
        }

        void chunk(CustomerChunk ch) throws SQLException {
            for (int k = 0; k < ch.count; k++) {
                long id = ch.firstCustomer + k + 1L;
                customers.beginRow();
                for (String col : customerCols) {
                    switch (col) {
                        case "id" -> customers.append(id);
                        case "source_id" -> customers.append(String.format("C%07d", id));
                        case "name" -> customers.append(ch.name[k]);
                        case "country" -> customers.append(Names.COUNTRY[ch.country[k]]);
                        case "acquisition_date" -> customers.appendEpochDays(ch.acquisitionDay[k]);
                        case "last_transaction_date" -> customers.appendEpochDays(ch.lastPurchaseDay[k]);
                        case "batch_id" -> customers.append(batchId);
                        default -> customers.appendNull();
                    }
                }
                customers.endRow();
                truth.beginRow().append(id).append(ch.lambda[k]).append(ch.p[k]).append(ch.nu[k]);
                if (ch.dropoutDay[k] == CustomerChunk.NO_DAY) {
                    truth.appendNull().append(true);
                } else {
                    truth.appendEpochDays(ch.dropoutDay[k]).append(false);
                }
                truth.endRow();
            }
            for (int i = 0; i < ch.size; i++) {
                long customerId = ch.firstCustomer + ch.customer[i] + 1L;
                long orderNumber = orders + ch.order[i] + 1;
                boolean ret = ch.isReturn[i];
                tx.beginRow();
                for (String col : txCols) {
                    switch (col) {
                        case "id" -> tx.append(transactions + 1);
                        case "customer_id" -> tx.append(customerId);
                        case "product_id" -> tx.append(ch.product[i] + 1L);
                        case "order_id" -> tx.append((ret ? "R" : "O") + orderNumber);
                        case "date" -> tx.appendEpochDays(ch.day[i]);
                        case "ts" -> tx.appendEpochMicros(ch.day[i] * 86_400_000_000L + ch.timeOfDayMicros[i]);
                        case "quantity" -> tx.append((double) ch.quantity[i]);
                        case "unit_price" -> tx.appendDecimal(ch.unitPrice[i]);
                        case "amount" -> tx.appendDecimal(ch.amount[i]);
                        case "currency" -> tx.append(cfg.currency());
                        case "country" -> tx.append(Names.COUNTRY[ch.country[ch.customer[i]]]);
                        case "is_return" -> tx.append(ret);
                        case "batch_id" -> tx.append(batchId);
                        default -> tx.appendNull();
                    }
                }
                tx.endRow();
                transactions++;
                if (ret) {
                    returns++;
                }
                firstDay = Math.min(firstDay, ch.day[i]);
                lastDay = Math.max(lastDay, ch.day[i]);
            }
            orders += ch.orders;
        }

        void close() throws SQLException {
            for (DuckDBAppender a : open) {
                a.close();
            }
        }
    }
}
