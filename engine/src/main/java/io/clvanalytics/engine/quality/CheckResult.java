package io.clvanalytics.engine.quality;

import java.util.List;
import java.util.Map;

/**
 * The uniform result of one check in one run: status by its thresholds, the metric (in
 * {@code unit}, higher is worse), the rule as text, the number of offending rows and a small
 * sample of them (ids and values), and a message saying what was found.
 */
public record CheckResult(String name, Category category, Severity severity, Status status, Double metric,
                          String unit, String threshold, Double warnAt, Double failAt, long offendingRows,
                          List<Map<String, Object>> sample, String message, long durationMs) {

    public CheckResult {
        sample = sample == null ? List.of() : List.copyOf(sample);
    }
}
