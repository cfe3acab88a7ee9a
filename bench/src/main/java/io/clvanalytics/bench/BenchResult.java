package io.clvanalytics.bench;

/**
 * One row of the bench table: what was measured, the figure, the baseline measured in the same run,
 * the ratio figure / baseline (lower is better for times) and the peak Java heap during the step.
 */
public record BenchResult(String benchmark, String step, String figure, String baseline, double ratio,
                          long peakHeapBytes) {

    /**
     * A timed step against a timed baseline: figure "12.3 s, 812,000 rows/s", ratio = seconds / baseline
     * seconds, peak heap of the measured step.
     */
    public static BenchResult timed(String benchmark, String step, Measurement measured, String baselineName,
                                    Measurement baseline) {
        return new BenchResult(benchmark, step, measured.describe(), baselineName + ": " + baseline.describe(),
                measured.seconds() / baseline.seconds(), measured.peakHeapBytes());
    }
}
