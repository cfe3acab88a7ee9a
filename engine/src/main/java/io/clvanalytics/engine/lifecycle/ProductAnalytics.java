package io.clvanalytics.engine.lifecycle;

import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.DataVersion;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Product analytics over one store: the engine's {@code calculate_product_metrics} and
 * {@code analyze_product_lifecycle}, their whole-catalogue versions, affinity and buyer profiles.
 *
 * <p>Data shape in: {@code transactions} (signed {@code amount}, returns negative with
 * {@code is_return}), {@code products} ({@code is_product} false for non-product lines); optionally
 * {@code customers.segment}, {@code retention_scores}, {@code customer_scores}. Out: records, and the
 * lifecycle methods also store {@code products.lifecycle_stage}, {@code product_lifecycle} and
 * {@code product_stage_history}; {@link #computeAffinity} stores {@code product_affinity}.
 *
 * <p>Non-product lines are excluded everywhere by the rule in {@link ProductSettings} and reported
 * by {@link #nonProductLines}. Thread-safe: every call uses its own connection.
 */
public final class ProductAnalytics {

    private final Engine engine;
    private final ProductSettings settings;

    private ProductAnalytics(Engine engine, ProductSettings settings) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Product analytics with {@link ProductSettings#defaults()}. */
    public static ProductAnalytics of(Engine engine) {
        return of(engine, ProductSettings.defaults());
    }

    public static ProductAnalytics of(Engine engine, ProductSettings settings) {
        return new ProductAnalytics(engine, settings);
    }

    public ProductSettings settings() {
        return settings;
    }

    /** First to last transaction date of the store; bad input when the store has no transactions. */
    public DateWindow fullHistory() {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT min(date), max(date) FROM transactions");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                LocalDate from = rs.getObject(1, LocalDate.class);
                LocalDate to = rs.getObject(2, LocalDate.class);
                if (from == null) {
                    throw new DataValidationException("store " + engine.file() + " has no transactions: run `clv import` or `clv generate` first");
                }
                return new DateWindow(from, to);
            }
        });
    }

    /** The product id for a product code ({@code products.source_id}) or, failing that, a numeric id. */
    public long resolveProduct(String codeOrId) {
        return read(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT id FROM products WHERE source_id = ?
                    UNION ALL
                    SELECT id FROM products WHERE id = TRY_CAST(? AS BIGINT) AND NOT EXISTS (SELECT 1 FROM products WHERE source_id = ?)
                    """)) {
                ps.setString(1, codeOrId);
                ps.setString(2, codeOrId);
                ps.setString(3, codeOrId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new DataValidationException("product: no product has the code or id " + codeOrId);
                    }
                    return rs.getLong(1);
                }
            }
        });
    }

    /** {@code calculate_product_metrics(product)}: one product over the whole window (share and rank among all products). */
    public Optional<ProductMetrics> calculateProductMetrics(long productId, DateWindow window) {
        List<ProductMetrics> rows = read(c -> MetricsQuery.run(c, settings, window, Period.WINDOW, productId));
        return rows.stream().findFirst();
    }

    /** One product's metrics per period of the window (months by default), periods without lines omitted. */
    public List<ProductMetrics> calculateProductMetrics(long productId, DateWindow window, Period period) {
        return read(c -> MetricsQuery.run(c, settings, window, period, productId));
    }

    /** Metrics of every product with lines in the window, per period, ranked within each period. */
    public List<ProductMetrics> calculateCatalogueMetrics(DateWindow window, Period period) {
        return read(c -> MetricsQuery.run(c, settings, window, period, null));
    }

    /** The lines the product rule leaves out, by code. */
    public List<NonProductLine> nonProductLines(DateWindow window) {
        return read(c -> MetricsQuery.nonProductLines(c, settings, window));
    }

    /** The window's net revenue split by the product rule (product revenue = sum of product metrics). */
    public StoreRevenue storeRevenue(DateWindow window) {
        return read(c -> MetricsQuery.storeRevenue(c, window));
    }

    /**
     * {@code analyze_product_lifecycle(product)} as of the last transaction date: stage, confidence,
     * trend, the monthly series and the stage history; stores them for this product.
     */
    public ProductLifecycle analyzeProductLifecycle(long productId) {
        return analyzeProductLifecycle(productId, fullHistory().to());
    }

    /** As {@link #analyzeProductLifecycle(long)} as of {@code asOf}; bad input when the product never sold by then. */
    public ProductLifecycle analyzeProductLifecycle(long productId, LocalDate asOf) {
        return engine.inTransaction(c -> {
            ProductSql.createScope(c, settings);
            LifecycleAnalyzer analyzer = new LifecycleAnalyzer(settings.lifecycle());
            List<ProductLifecycle> result = analyseOne(c, analyzer, productId, asOf);
            analyzer.store(c, result, engine.clock().instant(), null);
            return result.get(0).withDetails(analyzer.series(c, productId), LifecycleAnalyzer.history(c, productId));
        });
    }

    /** The whole catalogue as of the last transaction date; see {@link #analyzeCatalogueLifecycle(LocalDate)}. */
    public List<ProductLifecycle> analyzeCatalogueLifecycle() {
        return analyzeCatalogueLifecycle(fullHistory().to());
    }

    /**
     * Stage and trend of every product with a sale on or before {@code asOf}; replaces the stored
     * lifecycle, history and stages of the catalogue (products without sales get no stage).
     */
    public List<ProductLifecycle> analyzeCatalogueLifecycle(LocalDate asOf) {
        return engine.inTransaction(c -> {
            ProductSql.createScope(c, settings);
            LifecycleAnalyzer analyzer = new LifecycleAnalyzer(settings.lifecycle());
            Instant now = engine.clock().instant();
            if (analyzer.build(c, asOf, null) == 0) {
                // No product has a sale (a store without product ids, as CDNOW): an empty catalogue is the answer.
                recordRun(c, "lifecycle", now, null, asOf, null, 0, null);
                return List.<ProductLifecycle>of();
            }
            List<ProductLifecycle> result = analyzer.readFinal(c, asOf);
            long run = recordRun(c, "lifecycle", now, null, asOf, null, result.size(), null);
            analyzer.store(c, result, now, run);
            return result;
        });
    }

    /** {@code analyzer} built for one product as of {@code asOf}, and its result; bad input when the product never sold by then. */
    private static List<ProductLifecycle> analyseOne(Connection c, LifecycleAnalyzer analyzer, long productId, LocalDate asOf)
            throws SQLException {
        analyzer.build(c, asOf, productId);
        List<ProductLifecycle> result = analyzer.readFinal(c, asOf);
        if (result.isEmpty()) {
            throw new DataValidationException("product " + productId + ": no sales on or before " + asOf
                    + " among product lines (non-product lines are not analysed)");
        }
        return result;
    }

    /**
     * The product's lifecycle as of the last transaction date with its monthly series and stage history, as
     * {@link #analyzeProductLifecycle(long)} answers it, but a read: from the store while the latest catalogue analysis
     * ({@link #analyzeCatalogueLifecycle()}) is current (same transactions by {@link DataVersion#transactions}, same
     * settings, same end date, and the product's stored lifecycle is that run's), else analysed on this call's
     * connection and not stored. Bad input when the product has no sales among product lines.
     */
    public ProductLifecycle lifecycle(long productId) {
        LocalDate asOf = fullHistory().to();
        return read(c -> {
            Optional<Long> run = currentCatalogueRun(c);
            if (run.isPresent()) {
                Optional<ProductLifecycle> stored = LifecycleAnalyzer.stored(c, productId, run.get());
                if (stored.isPresent()) {
                    return stored.get();
                }
            }
            LifecycleAnalyzer analyzer = new LifecycleAnalyzer(settings.lifecycle());
            List<ProductLifecycle> result = analyseOne(c, analyzer, productId, asOf);
            return result.get(0).withDetails(analyzer.series(c, productId), LifecycleAnalyzer.unstoredHistory(c, productId, asOf));
        });
    }

    /** The latest catalogue lifecycle run when it is current for this store's transactions and these settings. */
    private Optional<Long> currentCatalogueRun(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id FROM product_analysis_runs
                WHERE id = (SELECT max(id) FROM product_analysis_runs WHERE kind = 'lifecycle')
                  AND window_end = (SELECT max(date) FROM transactions) AND settings_json = ? AND transactions_version = ?
                """)) {
            ps.setString(1, settingsJson());
            ps.setString(2, DataVersion.transactions(c));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
            }
        }
    }

    /** The stored stage changes of a product, oldest first. */
    public List<StageChange> stageHistory(long productId) {
        return read(c -> LifecycleAnalyzer.history(c, productId));
    }

    /** Computes and stores the association rules of the window (replacing earlier ones). */
    public AffinityRun computeAffinity(DateWindow window) {
        return engine.inTransaction(c -> {
            ProductSql.createScope(c, settings);
            long[] counts = AffinityAnalyzer.compute(c, settings, window);
            long id = recordRun(c, "affinity", engine.clock().instant(), window.from(), window.to(),
                    counts[0], counts[1], counts[2]);
            return new AffinityRun(id, window, counts[0], counts[1], counts[2]);
        });
    }

    /**
     * The top-N products bought with {@code productId} (rules with it as antecedent, by lift). The
     * rules of the whole history are computed first when none are stored for the current data and
     * settings.
     */
    public List<AssociationRule> relatedProducts(long productId, int topN) {
        ensureAffinity();
        return read(c -> AffinityAnalyzer.related(c, productId, topN));
    }

    /** The strongest rules of the catalogue (each pair once), computing them first as {@link #relatedProducts} does. */
    public List<AssociationRule> strongestRules(int topN) {
        ensureAffinity();
        return read(c -> AffinityAnalyzer.strongest(c, topN));
    }

    /** Segment mix, CLV and P(alive) of the product's buyers in the window against all customers. */
    public CustomerProfile customerProfile(long productId, DateWindow window) {
        return read(c -> CustomerBehaviour.profile(c, productId, window));
    }

    /** Products whose first-time buyers come back most often, with sample sizes and p-values. */
    public List<GatewayProduct> gatewayProducts(int topN) {
        return read(c -> {
            ProductSql.createScope(c, settings);
            return CustomerBehaviour.gateways(c, settings.minGatewaySample(), topN);
        });
    }

    private void ensureAffinity() {
        DateWindow all = fullHistory();
        boolean fresh = read(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT count(*) FROM product_analysis_runs
                    WHERE id = (SELECT max(id) FROM product_analysis_runs WHERE kind = 'affinity')
                      AND window_start = ? AND window_end = ? AND settings_json = ?
                      AND transactions_seen = (SELECT count(*) FROM transactions)
                    """)) {
                ps.setObject(1, all.from());
                ps.setObject(2, all.to());
                ps.setString(3, settingsJson());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1) > 0;
                }
            }
        });
        if (!fresh) {
            computeAffinity(all);
        }
    }

    private long recordRun(Connection c, String kind, Instant now, LocalDate from, LocalDate to,
                           Long baskets, long products, Long rules) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO product_analysis_runs (id, kind, computed_at, window_start, window_end, transactions_seen,
                    baskets, products, rules, settings_json, transactions_version)
                SELECT nextval('product_run_seq'), ?, ?, ?, ?, (SELECT count(*) FROM transactions), ?, ?, ?, ?, ?
                RETURNING id
                """)) {
            ps.setString(1, kind);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setObject(3, from);
            ps.setObject(4, to);
            ps.setObject(5, baskets);
            ps.setLong(6, products);
            ps.setObject(7, rules);
            ps.setString(8, settingsJson());
            ps.setString(9, DataVersion.transactions(c));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The settings as stable JSON, recorded with each run. */
    String settingsJson() {
        LifecycleRules l = settings.lifecycle();
        StringBuilder codes = new StringBuilder("[");
        for (String code : new TreeSet<>(settings.nonProductCodes())) {
            codes.append(codes.length() > 1 ? "," : "").append('"')
                    .append(code.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        codes.append(']');
        return String.format(Locale.ROOT,
                "{\"useImportFlag\":%s,\"nonProductCodes\":%s,\"abcA\":%s,\"abcB\":%s,\"minSupport\":%s,\"minLift\":%s,"
                        + "\"minPairBaskets\":%d,\"discontinuedMonths\":%d,\"introductionMonths\":%d,\"smoothingMonths\":%d,"
                        + "\"growthThreshold\":%s,\"accelerationThreshold\":%s,\"evidenceLines\":%s,\"trendMonths\":%d}",
                settings.useImportFlag(), codes, settings.abcA(), settings.abcB(), settings.minSupport(), settings.minLift(),
                settings.minPairBaskets(), l.discontinuedMonths(), l.introductionMonths(), l.smoothingMonths(),
                l.growthThreshold(), l.accelerationThreshold(), l.evidenceLines(), l.trendMonths());
    }

    @FunctionalInterface
    private interface Read<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs a read on a fresh connection with the product scope in place. */
    private <T> T read(Read<T> work) {
        try (Connection c = engine.connect()) {
            ProductSql.createScope(c, settings);
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException("product analytics on " + engine.file() + " failed: " + e.getMessage(), e);
        }
    }
}
