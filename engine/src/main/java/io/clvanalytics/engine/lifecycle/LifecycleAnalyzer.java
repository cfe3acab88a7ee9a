package io.clvanalytics.engine.lifecycle;

import static io.clvanalytics.engine.lifecycle.ProductSql.UNITS;
import static io.clvanalytics.engine.lifecycle.ProductSql.execute;
import static io.clvanalytics.engine.lifecycle.ProductSql.nullableBoolean;
import static io.clvanalytics.engine.lifecycle.ProductSql.nullableDouble;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.hipparchus.distribution.continuous.NormalDistribution;

/**
 * Monthly series, trend statistics and lifecycle stages in set-based SQL over temporary tables of
 * one connection ({@code lc_*}); writes {@code product_lifecycle}, {@code product_stage_history}
 * and {@code products.lifecycle_stage}. Java only computes the Mann-Kendall p-value per product.
 */
final class LifecycleAnalyzer {

    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(0, 1);

    private final LifecycleRules r;

    LifecycleAnalyzer(LifecycleRules rules) {
        this.r = rules;
    }

    /** First day of the last complete month on or before {@code asOf}. */
    static LocalDate lastCompleteMonth(LocalDate asOf) {
        LocalDate first = asOf.withDayOfMonth(1);
        return asOf.equals(asOf.withDayOfMonth(asOf.lengthOfMonth())) ? first : first.minusMonths(1);
    }

    /**
     * Builds {@code lc_features} (one row per product and month) and {@code lc_final} (one row per
     * product, the stage as of {@code asOf}; only {@code onlyProduct} when given); expects
     * {@code pa_scope}. The series are built for the whole catalogue even for one product, because a
     * product's growth is measured against the typical product. Returns the number of products.
     */
    long build(Connection c, LocalDate asOf, Long onlyProduct) throws SQLException {
        LocalDate end = lastCompleteMonth(asOf);
        try (PreparedStatement ps = c.prepareStatement("""
                CREATE OR REPLACE TEMP TABLE lc_monthly AS
                SELECT t.product_id, date_trunc('month', t.date)::DATE AS month,
                       sum(t.amount)::DOUBLE AS revenue,
                       coalesce(sum(%s) FILTER (WHERE NOT t.is_return), 0)::DOUBLE AS units,
                       count(*) FILTER (WHERE NOT t.is_return) AS lines,
                       min(t.date) FILTER (WHERE NOT t.is_return) AS first_sale,
                       max(t.date) FILTER (WHERE NOT t.is_return) AS last_sale
                FROM transactions t JOIN pa_scope USING (product_id)
                WHERE t.date <= ?
                GROUP BY ALL
                """.formatted(UNITS))) {
            ps.setObject(1, asOf);
            ps.execute();
        }
        // The shop's seasonal index per calendar month (classical ratio-to-moving-average
        // decomposition of all product sale lines): a product's monthly lines are divided by it, so a
        // December peak of the whole shop does not read as growth. 1 for every month with under
        // two years of complete months.
        try (PreparedStatement ps = c.prepareStatement("""
                CREATE OR REPLACE TEMP TABLE lc_store AS
                WITH monthly AS (
                    SELECT date_trunc('month', t.date)::DATE AS month, count(*) AS store_lines
                    FROM transactions t JOIN pa_scope USING (product_id)
                    WHERE t.date <= last_day(?::DATE) AND NOT t.is_return
                    GROUP BY ALL
                ),
                centred AS (
                    SELECT month, store_lines,
                           CASE WHEN count(*) OVER (ORDER BY month ROWS BETWEEN 6 PRECEDING AND 6 FOLLOWING) = 13 THEN
                               (avg(store_lines) OVER (ORDER BY month ROWS BETWEEN 6 PRECEDING AND 5 FOLLOWING)
                                + avg(store_lines) OVER (ORDER BY month ROWS BETWEEN 5 PRECEDING AND 6 FOLLOWING)) / 2
                           END AS cma
                    FROM monthly
                ),
                raw AS (
                    SELECT month(month) AS moy, avg(store_lines / cma) AS ratio, count(cma) AS years
                    FROM centred WHERE cma > 0 GROUP BY ALL
                ),
                idx AS (
                    SELECT moy, CASE WHEN (SELECT min(years) FROM raw) >= 1 AND (SELECT count(*) FROM raw) = 12
                                     THEN ratio / (SELECT avg(ratio) FROM raw) ELSE 1.0 END AS season
                    FROM raw
                )
                SELECT m.month, m.store_lines, coalesce(i.season, 1.0) AS season
                FROM monthly m LEFT JOIN idx i ON i.moy = month(m.month)
                """)) {
            ps.setObject(1, end);
            ps.execute();
        }
        // Launch: the catalogue's launch date unless it is after the first sale (then the first sale).
        execute(c, """
                CREATE OR REPLACE TEMP TABLE lc_products AS
                SELECT m.product_id, min(m.month) FILTER (WHERE m.units > 0) AS first_sale_month,
                       max(m.last_sale) AS last_sale_date,
                       least(coalesce(any_value(p.launch_date), min(m.first_sale)), min(m.first_sale)) AS launch_date
                FROM lc_monthly m JOIN products p ON p.id = m.product_id
                GROUP BY m.product_id
                HAVING min(m.month) FILTER (WHERE m.units > 0) IS NOT NULL
                """);
        long products = ProductSql.count(c, "SELECT count(*) FROM lc_products");
        if (products == 0) {
            return 0;
        }
        int k = r.smoothingMonths();
        try (PreparedStatement ps = c.prepareStatement("""
                CREATE OR REPLACE TEMP TABLE lc_series AS
                WITH months AS (
                    SELECT unnest(generate_series((SELECT min(first_sale_month) FROM lc_products),
                                                  greatest(?::DATE, (SELECT max(first_sale_month) FROM lc_products)),
                                                  INTERVAL 1 MONTH))::DATE AS month
                )
                SELECT lp.product_id, mo.month, coalesce(m.revenue, 0) AS revenue, coalesce(m.units, 0) AS units,
                       coalesce(m.lines, 0) AS lines,
                       coalesce(m.lines, 0) / coalesce(st.season, 1.0) AS level,
                       coalesce(st.season, 1.0) AS season,
                       date_diff('day', lp.launch_date, least(last_day(mo.month), ?::DATE)) / 30.4375 AS age_months
                FROM lc_products lp
                JOIN months mo ON mo.month >= lp.first_sale_month AND mo.month <= greatest(?::DATE, lp.first_sale_month)
                LEFT JOIN lc_monthly m ON m.product_id = lp.product_id AND m.month = mo.month
                LEFT JOIN lc_store st ON st.month = mo.month
                """)) {
            ps.setObject(1, end);
            ps.setObject(2, asOf);
            ps.setObject(3, end);
            ps.execute();
        }
        execute(c, """
                CREATE OR REPLACE TEMP TABLE lc_features AS
                WITH a AS (
                    SELECT s.*,
                           (row_number() OVER w - 1)::INTEGER AS idx,
                           avg(level) OVER (w ROWS BETWEEN %1$d PRECEDING AND CURRENT ROW) AS recent,
                           avg(level) OVER (w ROWS BETWEEN %3$d PRECEDING AND CURRENT ROW) AS long_level,
                           CASE WHEN row_number() OVER w > %2$d
                                THEN avg(level) OVER (w ROWS BETWEEN %3$d PRECEDING AND %2$d PRECEDING) END AS prior,
                           sum(lines) OVER (w ROWS BETWEEN %3$d PRECEDING AND CURRENT ROW) AS evidence,
                           sum(lines) OVER (w ROWS BETWEEN %1$d PRECEDING AND CURRENT ROW) AS recent_lines,
                           sum(season) OVER (w ROWS BETWEEN %1$d PRECEDING AND CURRENT ROW) AS recent_store,
                           sum(season) OVER (w ROWS BETWEEN %3$d PRECEDING AND %2$d PRECEDING) AS prior_store,
                           -- mean level since launch: months before the first sale count as zero
                           sum(level) OVER (w ROWS UNBOUNDED PRECEDING)
                               / greatest(count(*) OVER (w ROWS UNBOUNDED PRECEDING), ceil(age_months)) AS life_level,
                           max(CASE WHEN lines > 0 THEN month END) OVER (w ROWS UNBOUNDED PRECEDING) AS last_sale_month,
                           avg(revenue) OVER (w ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS revenue_ma,
                           lag(revenue) OVER w AS revenue_prev,
                           lag(revenue, 12) OVER w AS revenue_prev_year,
                           revenue - avg(revenue) OVER (w ROWS BETWEEN 6 PRECEDING AND 5 FOLLOWING) AS detrended
                    FROM lc_series s
                    WINDOW w AS (PARTITION BY product_id ORDER BY month)
                ),
                b AS (
                    SELECT *,
                           CASE WHEN prior > 0 THEN recent / prior END AS ratio,
                           date_diff('month', last_sale_month, month)::INTEGER AS months_without_sales
                    FROM a
                ),
                -- The typical established product's change in the same month: whatever moves every
                -- product at once (seasonality the index missed, a growing customer base, a shift of
                -- the assortment) is not the product's own lifecycle.
                market AS (
                    SELECT month, coalesce(median(ratio) FILTER (WHERE age_months > %4$d AND evidence >= 20), 1.0) AS market_ratio
                    FROM b GROUP BY month
                ),
                c AS (
                    SELECT b.*, m.market_ratio,
                           CASE WHEN b.prior IS NULL THEN NULL
                                WHEN b.recent + b.prior = 0 THEN 0.0
                                ELSE (b.recent - b.prior * m.market_ratio) / ((b.recent + b.prior * m.market_ratio) / 2)
                           END AS growth,
                           -- z of the recent period's lines among both periods' lines against the split the
                           -- seasonal index and the market expect (conditional binomial test of no own change)
                           CASE WHEN b.prior IS NOT NULL AND b.evidence > 0 AND b.recent_store > 0 AND b.prior_store > 0 THEN
                               (b.recent_lines - b.evidence * pi) / sqrt(b.evidence * pi * (1 - pi))
                           END AS growth_z
                    FROM b JOIN market m USING (month),
                    LATERAL (SELECT m.market_ratio * b.recent_store / (m.market_ratio * b.recent_store + b.prior_store) AS pi)
                )
                SELECT *,
                       growth - lag(growth, %2$d) OVER w AS growth_change,
                       max(long_level) OVER (w ROWS BETWEEN 11 PRECEDING AND CURRENT ROW) AS peak,
                       lag(detrended, 12) OVER w AS detrended_prev_year
                FROM c
                WINDOW w AS (PARTITION BY product_id ORDER BY month)
                """.formatted(k - 1, k, 2 * k - 1, r.introductionMonths()));
        execute(c, "CREATE OR REPLACE TEMP TABLE lc_stages AS SELECT product_id, month, "
                + stageSql("months_without_sales") + " AS stage, "
                + confidenceSql("months_without_sales") + " AS confidence FROM lc_features");
        try (PreparedStatement ps = c.prepareStatement("""
                CREATE OR REPLACE TEMP TABLE lc_trend AS
                WITH s AS (
                    SELECT product_id, idx, revenue FROM lc_features
                    WHERE month > ?::DATE - INTERVAL (%1$d) MONTH AND month <= ?::DATE
                ),
                pairs AS (
                    SELECT a.product_id, median((b.revenue - a.revenue) / (b.idx - a.idx)) AS slope,
                           sum(sign(b.revenue - a.revenue)) AS s_stat
                    FROM s a JOIN s b ON a.product_id = b.product_id AND a.idx < b.idx
                    GROUP BY a.product_id
                ),
                ties AS (
                    SELECT product_id, sum(n * (n - 1) * (2 * n + 5)) AS tie_term
                    FROM (SELECT product_id, revenue, count(*) AS n FROM s GROUP BY ALL) GROUP BY product_id
                ),
                sizes AS (SELECT product_id, count(*) AS n FROM s GROUP BY product_id),
                seasonality AS (
                    SELECT product_id, count(*) AS months, corr(detrended, detrended_prev_year) AS ac12
                    FROM lc_features WHERE month <= ?::DATE GROUP BY product_id
                )
                SELECT sizes.product_id, sizes.n AS trend_months, pairs.slope, pairs.s_stat,
                       (sizes.n * (sizes.n - 1) * (2 * sizes.n + 5) - coalesce(ties.tie_term, 0)) / 18.0 AS var_s,
                       seasonality.months AS history_months, seasonality.ac12
                FROM sizes LEFT JOIN pairs USING (product_id) LEFT JOIN ties USING (product_id)
                LEFT JOIN seasonality USING (product_id)
                """.formatted(r.trendMonths()))) {
            ps.setObject(1, end);
            ps.setObject(2, end);
            ps.setObject(3, end);
            ps.execute();
        }
        // The stage as of asOf: the last complete month's features, except that a sale in the
        // incomplete month of asOf means the product still sells.
        try (PreparedStatement ps = c.prepareStatement("""
                CREATE OR REPLACE TEMP TABLE lc_final AS
                WITH e AS (
                    SELECT f.* EXCLUDE (age_months), lp.last_sale_date, lp.launch_date,
                           date_diff('day', lp.launch_date, ?::DATE) / 30.4375 AS age_months,
                           CASE WHEN lp.last_sale_date > last_day(f.month) THEN 0 ELSE f.months_without_sales END AS z
                    FROM lc_features f JOIN lc_products lp USING (product_id)
                    WHERE f.month = greatest(?::DATE, lp.first_sale_month)
                )
                SELECT e.product_id, p.source_id, p.name, %s AS stage, %s AS confidence,
                       e.launch_date, e.last_sale_date, e.age_months, e.z AS months_without_sales,
                       e.recent AS smoothed_level, e.growth, e.growth_change, e.peak,
                       CASE WHEN e.revenue_prev > 0 THEN e.revenue / e.revenue_prev - 1 END AS mom_growth,
                       CASE WHEN e.revenue_prev_year > 0 THEN e.revenue / e.revenue_prev_year - 1 END AS yoy_growth,
                       tr.trend_months, tr.slope, tr.s_stat, tr.var_s, tr.history_months, tr.ac12,
                       CASE WHEN tr.history_months >= 24 THEN coalesce(tr.ac12, 0) >= %s END AS seasonal
                FROM e JOIN products p ON p.id = e.product_id LEFT JOIN lc_trend tr USING (product_id)
                WHERE ?::BIGINT IS NULL OR e.product_id = ?::BIGINT
                """.formatted(stageSql("e.z"), confidenceSql("e.z"), num(r.seasonalAutocorrelation())))) {
            ps.setObject(1, asOf);
            ps.setObject(2, end);
            ps.setObject(3, onlyProduct);
            ps.setObject(4, onlyProduct);
            ps.execute();
        }
        return products;
    }

    /** Reads {@code lc_final} with the Mann-Kendall p-values. */
    List<ProductLifecycle> readFinal(Connection c, LocalDate asOf) throws SQLException {
        List<ProductLifecycle> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM lc_final ORDER BY product_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Integer n = ProductSql.nullableInt(rs, "trend_months");
                Double s = nullableDouble(rs, "s_stat");
                Double var = nullableDouble(rs, "var_s");
                boolean enough = n != null && n >= 3 && s != null;
                out.add(new ProductLifecycle(
                        rs.getLong("product_id"), rs.getString("source_id"), rs.getString("name"), asOf,
                        rs.getString("stage"), rs.getDouble("confidence"),
                        ProductSql.date(rs, "launch_date"), ProductSql.date(rs, "last_sale_date"),
                        rs.getDouble("age_months"), rs.getInt("months_without_sales"),
                        finite(nullableDouble(rs, "smoothed_level")), finite(nullableDouble(rs, "growth")),
                        finite(nullableDouble(rs, "growth_change")), finite(nullableDouble(rs, "peak")),
                        n == null ? 0 : n,
                        enough ? finite(nullableDouble(rs, "slope")) : null,
                        enough ? finite(mannKendallPValue(s, var)) : null,
                        finite(nullableDouble(rs, "mom_growth")), finite(nullableDouble(rs, "yoy_growth")),
                        nullableBoolean(rs, "seasonal"), finite(nullableDouble(rs, "ac12")),
                        List.of(), List.of()));
            }
        }
        return out;
    }

    /**
     * {@code v}, or null when it is NaN or infinite (the correlation of a constant series): the store keeps no such
     * values, so an analysis read back from the store equals the analysis itself.
     */
    private static Double finite(Double v) {
        return v == null || v.isNaN() || v.isInfinite() ? null : v;
    }

    /**
     * Two-sided p-value of the Mann-Kendall statistic S with (tie-corrected) variance var, using the
     * normal approximation with continuity correction (Kendall 1975; Hirsch et al. 1982).
     */
    static double mannKendallPValue(double s, Double var) {
        if (var == null || var <= 0) {
            return 1.0;
        }
        double z = s > 0 ? (s - 1) / Math.sqrt(var) : s < 0 ? (s + 1) / Math.sqrt(var) : 0;
        return Math.min(1.0, 2 * (1 - STANDARD_NORMAL.cumulativeProbability(Math.abs(z))));
    }

    /**
     * Replaces the stored lifecycle, series, history and stage of the analysed products; {@code catalogueRun} is the
     * id of the whole-catalogue run storing them (null for one product's analysis).
     */
    void store(Connection c, List<ProductLifecycle> results, Instant now, Long catalogueRun) throws SQLException {
        boolean wholeCatalogue = catalogueRun != null;
        Timestamp ts = Timestamp.from(now);
        execute(c, "DELETE FROM product_lifecycle WHERE product_id IN (SELECT product_id FROM lc_final)");
        execute(c, "DELETE FROM product_stage_history WHERE product_id IN (SELECT product_id FROM lc_final)");
        execute(c, "DELETE FROM product_lifecycle_series WHERE product_id IN (SELECT product_id FROM lc_final)");
        if (wholeCatalogue) {
            // Products no longer analysed (no sales, or now counted as non-product lines) lose their stage.
            execute(c, "DELETE FROM product_lifecycle WHERE product_id NOT IN (SELECT product_id FROM lc_final)");
            execute(c, "DELETE FROM product_stage_history WHERE product_id NOT IN (SELECT product_id FROM lc_final)");
            execute(c, "DELETE FROM product_lifecycle_series WHERE product_id NOT IN (SELECT product_id FROM lc_final)");
        }
        execute(c, "INSERT INTO product_lifecycle_series " + SERIES_SQL.formatted("f.product_id IN (SELECT product_id FROM lc_final)"));
        try (DuckDBAppender app = ((DuckDBConnection) c.unwrap(DuckDBConnection.class)).createAppender(
                DuckDBConnection.DEFAULT_SCHEMA, "product_lifecycle")) {
            for (ProductLifecycle p : results) {
                app.beginRow();
                app.append(p.productId());
                app.append(p.asOf());
                app.append(p.stage());
                app.append(p.confidence());
                appendDate(app, p.launchDate());
                appendDate(app, p.lastSaleDate());
                app.append(p.ageMonths());
                app.append(p.monthsWithoutSales());
                appendDouble(app, p.smoothedLevel());
                appendDouble(app, p.growth());
                appendDouble(app, p.growthChange());
                appendDouble(app, p.peakSmoothedLevel());
                app.append(p.trendMonths());
                appendDouble(app, p.trendSlope());
                appendDouble(app, p.trendPValue());
                appendDouble(app, p.momGrowth());
                appendDouble(app, p.yoyGrowth());
                if (p.seasonal() == null) {
                    app.appendNull();
                } else {
                    app.append(p.seasonal());
                }
                appendDouble(app, p.lag12Autocorrelation());
                app.append(ts.toLocalDateTime());
                if (catalogueRun == null) {
                    app.appendNull();
                } else {
                    app.append(catalogueRun.longValue());
                }
                app.endRow();
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO product_stage_history (product_id, stage, confidence, entered_on, computed_at) SELECT h.*, ? FROM ("
                        + HISTORY_SQL + ") h")) {
            ps.setTimestamp(1, ts);
            ps.setObject(2, results.isEmpty() ? LocalDate.now() : results.get(0).asOf());
            ps.execute();
        }
        execute(c, """
                UPDATE products SET lifecycle_stage = f.stage FROM lc_final f WHERE products.id = f.product_id
                  AND products.lifecycle_stage IS DISTINCT FROM f.stage
                """);
        if (wholeCatalogue) {
            execute(c, """
                    UPDATE products SET lifecycle_stage = NULL
                    WHERE lifecycle_stage IS NOT NULL AND id NOT IN (SELECT product_id FROM lc_final)
                    """);
        }
    }

    /** The monthly series with the stage at each month (columns of {@code product_lifecycle_series}), of the products {@code %s}. */
    private static final String SERIES_SQL = """
            SELECT f.product_id, f.month, f.revenue, f.units, f.revenue_ma,
                   CASE WHEN f.revenue_prev > 0 THEN f.revenue / f.revenue_prev - 1 END AS mom_growth,
                   CASE WHEN f.revenue_prev_year > 0 THEN f.revenue / f.revenue_prev_year - 1 END AS yoy_growth,
                   s.stage, s.confidence
            FROM lc_features f JOIN lc_stages s USING (product_id, month)
            WHERE %s
            """;

    /** The monthly series with the stage at each month, for one product already built. */
    List<TrendPoint> series(Connection c, long productId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SERIES_SQL.formatted("f.product_id = ?") + " ORDER BY f.month")) {
            ps.setLong(1, productId);
            return readSeries(ps);
        }
    }

    /** The stored monthly series of a product ({@code product_lifecycle_series}), oldest first. */
    static List<TrendPoint> storedSeries(Connection c, long productId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM product_lifecycle_series WHERE product_id = ? ORDER BY month")) {
            ps.setLong(1, productId);
            return readSeries(ps);
        }
    }

    private static List<TrendPoint> readSeries(PreparedStatement ps) throws SQLException {
        List<TrendPoint> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new TrendPoint(ProductSql.date(rs, "month"), rs.getDouble("revenue"), rs.getDouble("units"),
                        rs.getDouble("revenue_ma"), nullableDouble(rs, "mom_growth"), nullableDouble(rs, "yoy_growth"),
                        rs.getString("stage"), rs.getDouble("confidence")));
            }
        }
        return out;
    }

    /**
     * The lifecycle of a product stored by catalogue run {@code catalogueRun} ({@code product_lifecycle}, as
     * {@link #readFinal} read it before it was stored) with its stored series and history; empty when that run did
     * not store it.
     */
    static java.util.Optional<ProductLifecycle> stored(Connection c, long productId, long catalogueRun) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT l.*, p.source_id, p.name FROM product_lifecycle l JOIN products p ON p.id = l.product_id
                WHERE l.product_id = ? AND l.run_id = ?
                """)) {
            ps.setLong(1, productId);
            ps.setLong(2, catalogueRun);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return java.util.Optional.empty();
                }
                ProductLifecycle l = new ProductLifecycle(
                        productId, rs.getString("source_id"), rs.getString("name"), ProductSql.date(rs, "as_of"),
                        rs.getString("stage"), rs.getDouble("confidence"),
                        ProductSql.date(rs, "launch_date"), ProductSql.date(rs, "last_sale_date"),
                        rs.getDouble("age_months"), rs.getInt("months_without_sales"),
                        nullableDouble(rs, "smoothed_level"), nullableDouble(rs, "growth"),
                        nullableDouble(rs, "growth_change"), nullableDouble(rs, "peak_smoothed_level"),
                        rs.getInt("trend_months"), nullableDouble(rs, "trend_slope"), nullableDouble(rs, "trend_p_value"),
                        nullableDouble(rs, "mom_growth"), nullableDouble(rs, "yoy_growth"),
                        nullableBoolean(rs, "seasonal"), nullableDouble(rs, "lag12_autocorrelation"),
                        List.of(), List.of());
                return java.util.Optional.of(l.withDetails(storedSeries(c, productId), history(c, productId)));
            }
        }
    }

    /**
     * The stage changes of the products built ({@code product_id, stage, confidence, month}): the first month of each
     * run of months in one stage, the month of the analysis date last (a month evaluated twice keeps its complete
     * month's stage). Binds the analysis date.
     */
    private static final String HISTORY_SQL = """
            WITH evaluated AS (
                SELECT product_id, month, stage, confidence, 0 AS src FROM lc_stages
                WHERE product_id IN (SELECT product_id FROM lc_final)
                UNION ALL
                SELECT product_id, date_trunc('month', ?::DATE)::DATE, stage, confidence, 1 FROM lc_final
            ),
            ordered AS (
                SELECT *, lag(stage) OVER (PARTITION BY product_id ORDER BY month) AS previous
                FROM (SELECT DISTINCT ON (product_id, month) * FROM evaluated ORDER BY product_id, month, src)
            )
            SELECT product_id, stage, confidence, month FROM ordered
            WHERE previous IS NULL OR previous <> stage
            """;

    /** The stage changes {@link #store} would write for one product already built, oldest first, without writing them. */
    static List<StageChange> unstoredHistory(Connection c, long productId, LocalDate asOf) throws SQLException {
        List<StageChange> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT stage, confidence, month FROM (" + HISTORY_SQL
                + ") WHERE product_id = ? ORDER BY month")) {
            ps.setObject(1, asOf);
            ps.setLong(2, productId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StageChange(rs.getString(1), rs.getDouble(2), ProductSql.date(rs, "month")));
                }
            }
        }
        return out;
    }

    /** The stored stage changes of a product, oldest first. */
    static List<StageChange> history(Connection c, long productId) throws SQLException {
        List<StageChange> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT stage, confidence, entered_on FROM product_stage_history WHERE product_id = ? ORDER BY entered_on")) {
            ps.setLong(1, productId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StageChange(rs.getString(1), rs.getDouble(2), ProductSql.date(rs, "entered_on")));
                }
            }
        }
        return out;
    }

    /** The stage rule as SQL over lc_features columns; {@code z} is the months-without-sales column. */
    private String stageSql(String z) {
        double t = r.growthThreshold();
        double a = r.accelerationThreshold();
        return ("(CASE WHEN %1$s >= %2$d THEN 'discontinued'"
                + " WHEN age_months <= %3$d THEN 'introduction'"
                // a young product selling clearly above its own mean since launch is still growing, even when
                // three months against three are too few lines to show it
                + " WHEN age_months <= %9$d AND life_level > 0 AND recent >= (1 + %4$s) * life_level THEN 'growth'"
                + " WHEN growth IS NULL THEN 'introduction'"
                + " WHEN (growth_z >= %7$s OR age_months <= %9$d) AND (growth >= %4$s OR (growth >= %5$s AND growth_change >= %6$s)) THEN 'growth'"
                + " WHEN growth_z <= -%7$s AND (growth <= -%4$s OR (growth <= -%5$s AND growth_change <= -%6$s)) THEN 'decline'"
                // below the year's peak only counts when the recent lines are significantly fewer than the peak level
                // expects (Poisson z), so the noise of small products is not read as decline
                + " WHEN recent <= %8$s * peak AND (recent_lines - peak * recent_store) / sqrt(nullif(peak * recent_store, 0)) <= -%7$s"
                + "   THEN 'decline'"
                + " ELSE 'maturity' END)").formatted(z, r.discontinuedMonths(), r.introductionMonths(),
                num(t), num(t / 2), num(a), num(r.minZ()), num(r.declineFromPeak()), r.youngMonths());
    }

    /**
     * Confidence in [0, 1]. Discontinued: grows from about 0.5 at the threshold to 1 at twice it.
     * Introduction: 1 in the launch month, falling to 0.6 at the end of the introduction period.
     * Growth, maturity, decline: (0.5 + 0.5 * margin) * (0.5 + 0.5 * volume), where margin is the
     * distance of the smoothed growth from the stage's boundary in units of the growth threshold
     * (capped at 1) and volume = lines / (lines + evidenceLines) over the growth comparison window.
     */
    private String confidenceSql(String z) {
        double t = r.growthThreshold();
        String volume = "(0.5 + 0.5 * evidence / (evidence + %s))".formatted(num(r.evidenceLines()));
        String stage = stageSql(z);
        return ("(CASE %1$s"
                + " WHEN 'discontinued' THEN least(1.0, 0.5 + 0.5 * (%2$s - %3$d + 1) / %3$d)"
                + " WHEN 'introduction' THEN CASE WHEN growth IS NULL AND age_months > %4$d THEN 0.5"
                + "   ELSE 1.0 - 0.4 * least(1.0, greatest(0.0, age_months) / %4$d) END"
                + " WHEN 'growth' THEN (0.5 + 0.5 * least(1.0, greatest(0.0, coalesce((growth - %5$s) / %5$s, 0.0)))) * %6$s"
                + " WHEN 'decline' THEN (0.5 + 0.5 * least(1.0, greatest(0.0, (-%5$s - growth) / %5$s))) * %6$s"
                + " ELSE (0.5 + 0.5 * least(1.0, greatest(0.0, (%5$s - abs(growth)) / %5$s))) * %6$s END)")
                .formatted(stage, z, r.discontinuedMonths(), r.introductionMonths(), num(t), volume);
    }

    /** A validated number as an SQL literal (settings are numbers, never text from input). */
    private static String num(double v) {
        return String.format(Locale.ROOT, "%.10f", v);
    }

    private static void appendDouble(DuckDBAppender app, Double v) throws SQLException {
        if (v == null || v.isNaN() || v.isInfinite()) {
            app.appendNull();
        } else {
            app.append(v.doubleValue());
        }
    }

    private static void appendDate(DuckDBAppender app, LocalDate d) throws SQLException {
        if (d == null) {
            app.appendNull();
        } else {
            app.append(d);
        }
    }
}
