package io.clvanalytics.engine.retention;

/**
 * One customer's retention score: churn probability and where it came from ({@code model} or
 * {@code recency_fallback}), value at risk (CLV × churn probability), risk level, engagement
 * score 0–100, R/F/M scores 1–5 and segment, status (active / at risk / churned), and the
 * recommended action with its priority (1 = most urgent) and the numbers that triggered it.
 */
public record CustomerRetention(long customerId, String sourceId, String name, double churnProbability,
                                String churnSource, double clv, double valueAtRisk, String riskLevel,
                                String valueTier, double engagementScore, int rScore, int fScore, int mScore,
                                String segment, String status, String action, int actionPriority,
                                String actionReason, int recencyDays, int frequency, double monetary) {}
