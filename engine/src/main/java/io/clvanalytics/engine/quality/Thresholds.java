package io.clvanalytics.engine.quality;

/**
 * The levels a check's metric is compared with. Every metric is "higher is worse": the status is
 * {@link Status#FAIL} when the metric is above {@code failAbove}, {@link Status#WARN} when above
 * {@code warnAbove}, else {@link Status#PASS}. A {@code null} level is never reached.
 */
public record Thresholds(Double warnAbove, Double failAbove) {

    /** Fail when the metric is above {@code failAbove}; no separate warn level. */
    public static Thresholds failAbove(double failAbove) {
        return new Thresholds(null, failAbove);
    }

    /** Warn above {@code warnAbove}, fail above {@code failAbove}. */
    public static Thresholds of(double warnAbove, double failAbove) {
        return new Thresholds(warnAbove, failAbove);
    }

    /** Only a warn level: the check reports but never fails. */
    public static Thresholds warnAbove(double warnAbove) {
        return new Thresholds(warnAbove, null);
    }

    /** The status of {@code metric}; a NaN or missing metric is an {@link Status#ERROR}. */
    public Status statusOf(Double metric) {
        if (metric == null || metric.isNaN()) {
            return Status.ERROR;
        }
        if (failAbove != null && metric > failAbove) {
            return Status.FAIL;
        }
        if (warnAbove != null && metric > warnAbove) {
            return Status.WARN;
        }
        return Status.PASS;
    }

    /** These levels with each non-null level of {@code override} replacing the default. */
    public Thresholds overriddenBy(Double warn, Double fail) {
        return new Thresholds(warn != null ? warn : warnAbove, fail != null ? fail : failAbove);
    }

    /** The rule as text, e.g. {@code warn > 0, fail > 5 %}. */
    public String describe(String unit) {
        String u = unit == null || unit.isEmpty() ? "" : " " + unit;
        String w = warnAbove == null ? null : "warn > " + fmt(warnAbove) + u;
        String f = failAbove == null ? null : "fail > " + fmt(failAbove) + u;
        if (w == null && f == null) {
            return "report only";
        }
        return w == null ? f : f == null ? w : w + ", " + f;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
