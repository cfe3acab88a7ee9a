package io.clvanalytics.engine.quality;

import java.sql.SQLException;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Days from the newest transaction (not in the future) to today by the engine's clock, over the
 * whole store. A store without transactions is an {@link Status#ERROR}: freshness is unknown.
 */
final class FreshnessCheck implements QualityCheck {

    @Override public String name() { return "freshness.newest_transaction"; }
    @Override public Category category() { return Category.FRESHNESS; }
    @Override public Severity severity() { return Severity.MEDIUM; }
    @Override public String description() { return "days since the newest transaction, by the engine's clock"; }
    @Override public String unit() { return "days"; }
    @Override public Thresholds defaultThresholds() { return Thresholds.of(7, 30); }

    @Override
    public Measurement measure(CheckContext ctx) throws SQLException {
        Map<String, Object> r = ctx.queryOne(
                "SELECT max(date) AS newest, count(*) AS n FROM transactions WHERE date <= :today");
        LocalDate newest = (LocalDate) r.get("newest");
        if (newest == null) {
            return new Measurement(null, 0, List.of(), "the store holds no transactions up to " + ctx.today());
        }
        long days = ChronoUnit.DAYS.between(newest, ctx.today());
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("newest_date", newest);
        s.put("today", ctx.today());
        return new Measurement((double) days, 0, List.of(s), "newest transaction on " + newest + ", " + days + " days ago");
    }
}
