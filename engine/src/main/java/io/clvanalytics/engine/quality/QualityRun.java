package io.clvanalytics.engine.quality;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

/**
 * One stored run of the check suite: when it ran, the transaction dates it looked at
 * ({@code windowStart}..{@code windowEnd}; {@code since} is what the caller asked for, null for
 * the whole store), its {@link QualityScore} and every result.
 */
public record QualityRun(long id, LocalDateTime startedAt, LocalDateTime finishedAt, LocalDate since,
                         LocalDate windowStart, LocalDate windowEnd, double score, int checksRun, int failures,
                         int warnings, int errors, List<CheckResult> results) {

    public QualityRun {
        results = List.copyOf(results);
    }

    /** True when some check failed or could not be computed (the CLI's exit code 3). */
    public boolean failed() {
        return failures > 0 || errors > 0;
    }

    /** The result of check {@code name} in this run. */
    public Optional<CheckResult> result(String name) {
        return results.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    /** The names of the checks with status {@code status}, in report order. */
    public List<String> named(Status status) {
        return results.stream().filter(r -> r.status() == status).map(CheckResult::name).toList();
    }
}
