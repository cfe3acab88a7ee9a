package io.clvanalytics.engine.lifecycle;

/**
 * The grain of {@link ProductAnalytics#calculateCatalogueMetrics}: one row per product and calendar
 * month (the default), quarter or year, or one row per product for the whole window.
 */
public enum Period {
    MONTH("date_trunc('month', t.date)::DATE"),
    QUARTER("date_trunc('quarter', t.date)::DATE"),
    YEAR("date_trunc('year', t.date)::DATE"),
    WINDOW("?::DATE");

    /** SQL for the start of a line's period; fixed text, never built from input. */
    final String sqlStart;

    Period(String sqlStart) {
        this.sqlStart = sqlStart;
    }
}
