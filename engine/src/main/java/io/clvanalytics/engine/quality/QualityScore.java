package io.clvanalytics.engine.quality;

import io.clvanalytics.engine.CalculationException;
import java.util.Collection;
import java.util.Map;

/**
 * The quality score of a run, 0 to 100: the severity-weighted share of checks that pass,
 * <pre>
 *   score = 100 × Σ w(severity) × credit(status) / Σ w(severity)
 * </pre>
 * over the checks that ran, with weights HIGH 3, MEDIUM 2, LOW 1 and credit PASS 1, WARN 0.5,
 * FAIL 0, ERROR 0; rounded to one decimal. 100 means every check passed.
 */
public final class QualityScore {

    private QualityScore() {}

    /** The score of {@code results}; refuses an empty run rather than inventing a figure. */
    public static double of(Collection<CheckResult> results) {
        if (results.isEmpty()) {
            throw new CalculationException("no check ran, so there is no quality score (are all checks disabled?)",
                    Map.of("checks_run", 0));
        }
        double weighted = 0;
        double total = 0;
        for (CheckResult r : results) {
            int w = r.severity().weight();
            total += w;
            weighted += w * credit(r.status());
        }
        return Math.round(1000.0 * weighted / total) / 10.0;
    }

    static double credit(Status s) {
        return switch (s) {
            case PASS -> 1.0;
            case WARN -> 0.5;
            case FAIL, ERROR -> 0.0;
        };
    }
}
