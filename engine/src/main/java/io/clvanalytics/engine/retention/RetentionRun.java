package io.clvanalytics.engine.retention;

import java.time.Instant;
import java.time.LocalDate;

/**
 * One retention scoring run: its id (the {@code retention_run_id} of {@code retention_scores}),
 * the CLV model run whose P(alive) was used (null when none existed), the as-of date, how many
 * customers were scored and by which source, and the thresholds actually applied. {@code note} says,
 * when the model run's fit found no measurable drop-out, that churn came from recency against each
 * customer's own purchase rhythm instead of P(alive); null otherwise.
 */
public record RetentionRun(long id, Long modelRunId, LocalDate asOf, Instant scoredAt, long customers,
                           long scoredByModel, long scoredByFallback, int inactivityDays,
                           double valueAtRiskThreshold, double clvLowThreshold, double clvHighThreshold, String note) {}
