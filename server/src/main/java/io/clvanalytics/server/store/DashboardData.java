package io.clvanalytics.server.store;

import java.util.List;
import java.util.Map;

/**
 * What the dashboard shows, the one composition behind both the {@code /dashboard} page and
 * {@code /api/dashboard}: the {@code clv} named queries of the same names (columns as the README's
 * query language reference lists them), read through the cache by {@link Store#dashboard()}. Empty
 * maps and lists when there is nothing yet (no scores, no retention or quality run).
 *
 * @param kpis             the {@code kpis} row: customers, revenue, total and average CLV, active share, model
 * @param periodKpis       {@code period_kpis} over {@link #PERIOD_DAYS} days: the current and the previous period
 * @param clvDistribution  {@code clv_distribution}: customers and CLV per CLV band
 * @param clvBySegment     {@code clv_by_segment}: CLV per segment
 * @param retentionSummary the {@code retention_summary} row
 * @param atRisk           the {@link #AT_RISK_ROWS} customers of {@code at_risk} with the most value at risk
 * @param quality          the latest {@code quality_run} row
 * @param qualityHistory   the last two runs of {@code quality_history} (oldest first), for the score's change
 * @param cohortRetention  {@code cohort_retention} of the {@link #COHORTS} newest cohorts over as many months
 */
public record DashboardData(Map<String, Object> kpis, List<Map<String, Object>> periodKpis,
                            List<Map<String, Object>> clvDistribution, List<Map<String, Object>> clvBySegment,
                            Map<String, Object> retentionSummary, List<Map<String, Object>> atRisk, Map<String, Object> quality,
                            List<Map<String, Object>> qualityHistory, List<Map<String, Object>> cohortRetention) {

    /** How many at-risk customers the dashboard lists. */
    public static final int AT_RISK_ROWS = 10;
    /**
     * How many at-risk customers are read for them: as many as the retention page lists, so both share one cached
     * query (the list's order is total, so its first rows are those a smaller limit answers).
     */
    public static final int AT_RISK_READ = 100;
    /** Days in each compared period. */
    public static final int PERIOD_DAYS = 90;
    /** Cohorts (and months after acquisition) in the retention heat map. */
    public static final int COHORTS = 12;
}
