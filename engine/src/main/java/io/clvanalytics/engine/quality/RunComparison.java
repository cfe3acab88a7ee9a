package io.clvanalytics.engine.quality;

import java.time.LocalDateTime;
import java.util.List;

/**
 * What changed between a run and the one before it, over the checks both ran: checks failing now
 * that did not fail before, checks that failed before and no longer do, new warnings, and the
 * change in score.
 */
public record RunComparison(long runId, long previousRunId, LocalDateTime previousStartedAt, double score,
                            double previousScore, List<String> newFailures, List<String> fixed,
                            List<String> newWarnings) {

    /** E.g. {@code 3 new failures since 2026-11-25T10:00 (run 7): a, b, c; 1 fixed: d; score 80.0 → 72.5}. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(newFailures.size()).append(newFailures.size() == 1 ? " new failure" : " new failures")
                .append(" since ").append(previousStartedAt.withNano(0)).append(" (run ").append(previousRunId).append(")");
        if (!newFailures.isEmpty()) {
            sb.append(": ").append(String.join(", ", newFailures));
        }
        sb.append("; ").append(fixed.size()).append(" fixed");
        if (!fixed.isEmpty()) {
            sb.append(": ").append(String.join(", ", fixed));
        }
        if (!newWarnings.isEmpty()) {
            sb.append("; ").append(newWarnings.size()).append(" new warnings: ").append(String.join(", ", newWarnings));
        }
        sb.append("; score ").append(previousScore).append(" → ").append(score);
        return sb.toString();
    }
}
