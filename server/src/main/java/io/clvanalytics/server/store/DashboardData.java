package io.clvanalytics.server.store;

import java.util.List;
import java.util.Map;

/**
 * What the dashboard shows, from the {@code clv} named queries of the same names (columns as
 * the README's query language reference lists them), read through the cache by
 * {@link Store#dashboard()}. Empty maps when there is nothing yet (no scores, no retention or
 * quality run).
 *
 * @param kpis             the {@code kpis} row: customers, revenue, total and average CLV, active share, model
 * @param clvDistribution  {@code clv_distribution}: customers and CLV per CLV band
 * @param clvBySegment     {@code clv_by_segment}: CLV per segment
 * @param retentionSummary the {@code retention_summary} row
 * @param atRisk           the {@link #AT_RISK_ROWS} customers of {@code at_risk} with the most value at risk
 * @param quality          the latest {@code quality_run} row
 */
public record DashboardData(Map<String, Object> kpis, List<Map<String, Object>> clvDistribution,
                           List<Map<String, Object>> clvBySegment, Map<String, Object> retentionSummary,
                           List<Map<String, Object>> atRisk, Map<String, Object> quality) {

    /** How many at-risk customers the dashboard lists. */
    public static final int AT_RISK_ROWS = 10;
}
