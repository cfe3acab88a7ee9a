package io.clvanalytics.engine.quality;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Flags periods whose value is far outside the recent range, by a robust rule: a period is
 * anomalous when it differs from the median of the previous {@code history} periods by more than
 * {@code k} scaled MADs (1.4826 × median absolute deviation, the normal-consistent scale) AND by
 * more than a floor ({@code ratio} for volumes, {@code min_shift} percentage points or a binomial
 * {@code z} standard error for shares). Periods with fewer than {@code min_history} earlier
 * periods are not judged, nor days whose recent median is below {@code min_median} rows, nor weeks
 * with fewer than {@code min_rows} rows: so few rows vary too much for a daily or weekly rule. The
 * metric is the number of anomalous periods.
 */
final class AnomalyCheck implements QualityCheck {

    /** What is measured per period. */
    enum Series { DAILY_ROWS, DAILY_REVENUE, WEEKLY_RETURN_SHARE, WEEKLY_MISSING_ID_SHARE }

    private final String name;
    private final Category category;
    private final String description;
    private final Series series;

    AnomalyCheck(String name, Category category, Series series, String description) {
        this.name = name;
        this.category = category;
        this.series = series;
        this.description = description;
    }

    @Override public String name() { return name; }
    @Override public Category category() { return category; }
    @Override public Severity severity() { return Severity.MEDIUM; }
    @Override public String description() { return description; }
    @Override public String unit() { return daily() ? "days" : "weeks"; }
    @Override public Thresholds defaultThresholds() { return Thresholds.failAbove(0); }

    private boolean daily() {
        return series == Series.DAILY_ROWS || series == Series.DAILY_REVENUE;
    }

    @Override
    public Map<String, Object> defaultParams() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("k", 5.0);
        p.put("history", daily() ? 28.0 : 12.0);
        p.put("min_history", daily() ? 7.0 : 4.0);
        if (daily()) {
            p.put("ratio", 3.0);
            p.put("min_median", 20.0);
        } else {
            p.put("min_shift", 5.0);
            p.put("z", 4.0);
            p.put("min_rows", 200.0);
        }
        return p;
    }

    @Override
    public Measurement measure(CheckContext ctx) throws SQLException {
        // The frame length must be a literal in DuckDB; it is an integer from the check's
        // numeric parameter, clamped, never text from a user.
        int history = (int) Math.max(1, Math.min(3650, ctx.number("history")));
        String periods = switch (series) {
            case DAILY_ROWS -> "SELECT t.date AS period, count(*)::DOUBLE AS v, count(*) AS n FROM " + CheckContext.TX
                    + " t WHERE t.date <= :today GROUP BY 1";
            case DAILY_REVENUE -> "SELECT t.date AS period, sum(t.amount)::DOUBLE AS v, count(*) AS n FROM " + CheckContext.TX
                    + " t WHERE t.date <= :today AND NOT t.is_return GROUP BY 1";
            case WEEKLY_RETURN_SHARE -> weekly("t.is_return");
            case WEEKLY_MISSING_ID_SHARE -> weekly("t.product_id IS NULL OR t.order_id IS NULL OR trim(t.order_id) = ''");
        };
        String outside = daily()
                ? "abs(v - med) > :k * 1.4826 * mad AND (v > :ratio * med OR v * :ratio < med)"
                : "abs(v - med) > greatest(:k * 1.4826 * mad, :min_shift, :z * 100 * sqrt((med / 100) * (1 - med / 100) / n))";
        String judged = daily() ? "seen >= :min_history AND nmed >= :min_median" : "seen >= :min_history";
        String sql = "WITH s AS (" + periods + "), w AS (SELECT period, v, n, median(v) OVER h AS med, mad(v) OVER h AS mad,"
                + " median(n) OVER h AS nmed, count(*) OVER h AS seen FROM s WINDOW h AS (ORDER BY period ROWS BETWEEN "
                + history + " PRECEDING AND 1 PRECEDING)), j AS (SELECT * FROM w WHERE " + judged + ")";
        List<Map<String, Object>> flagged = ctx.query(sql + " SELECT CAST(period AS DATE) AS period, round(v, 4) AS value,"
                + " round(med, 4) AS recent_median, round(mad, 4) AS recent_mad, n AS rows FROM j WHERE " + outside
                + " ORDER BY period");
        long periodsJudged = CheckContext.asLong(ctx.queryOne(sql + " SELECT count(*) AS n FROM j").get("n"));
        long rows = 0;
        for (Map<String, Object> r : flagged) {
            rows += CheckContext.asLong(r.get("rows"));
        }
        String what = switch (series) {
            case DAILY_ROWS -> "daily row count";
            case DAILY_REVENUE -> "daily revenue";
            case WEEKLY_RETURN_SHARE -> "weekly share of returns (%)";
            case WEEKLY_MISSING_ID_SHARE -> "weekly share of rows missing a product or order id (%)";
        };
        String message = flagged.isEmpty()
                ? periodsJudged + " " + unit() + " judged, every " + what + " within its recent range"
                : flagged.size() + " of " + periodsJudged + " " + unit() + " judged have a " + what
                        + " far outside the recent range (" + rows + " rows)";
        List<Map<String, Object>> sample = flagged.subList(0, Math.min(flagged.size(), ctx.sampleSize()));
        return new Measurement((double) flagged.size(), rows, sample, message);
    }

    private static String weekly(String predicate) {
        return "SELECT date_trunc('week', t.date) AS period, avg(CASE WHEN " + predicate + " THEN 100.0 ELSE 0.0 END) AS v,"
                + " count(*) AS n FROM " + CheckContext.TX + " t WHERE t.date <= :today GROUP BY 1 HAVING count(*) >= :min_rows";
    }
}
