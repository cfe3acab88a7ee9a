/**
 * The retention manager: churn probability, risk levels, engagement score, RFM segments and
 * recommended actions per customer ({@link io.clvanalytics.engine.retention.RetentionService#score}),
 * cohort retention, Kaplan-Meier survival with the log-rank test, and the shifted-beta-geometric
 * model of contractual retention. {@link io.clvanalytics.engine.retention.RetentionService} is the
 * entry point for the command line, reports and web pages; {@link
 * io.clvanalytics.engine.retention.ShiftedBetaGeometric}, {@link io.clvanalytics.engine.retention.KaplanMeier}
 * and {@link io.clvanalytics.engine.retention.LogRankTest} also work on data from elsewhere.
 * Reads {@code transactions}, {@code customers}, {@code model_runs} and {@code customer_scores};
 * writes {@code retention_runs}, {@code retention_scores} and {@code customers.segment/status}.
 */
package io.clvanalytics.engine.retention;
