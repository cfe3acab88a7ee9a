package io.clvanalytics.engine.retention;

import java.util.List;

/**
 * Totals of one retention run: customers, value at risk and mean churn probability per segment,
 * per risk level, per status and per recommended action.
 */
public record RetentionSummary(RetentionRun run, double totalValueAtRisk, double meanChurnProbability,
                               double meanEngagementScore, List<Group> bySegment, List<Group> byRiskLevel,
                               List<Group> byStatus, List<Group> byAction) {

    /** One group: its name, customers, their share of all scored customers, value at risk, mean churn. */
    public record Group(String name, long customers, double share, double valueAtRisk, double meanChurnProbability) {}
}
