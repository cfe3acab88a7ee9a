package io.clvanalytics.engine.retention;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Kaplan-Meier product-limit estimator with Greenwood variance and 95 % confidence bands on
 * the log(−log S) scale (the "exponential Greenwood" bands of lifelines and of R's
 * {@code survfit(conf.type = "log-log")}), which stay inside [0, 1] unlike the plain bands.
 *
 * <p>Data in: counts per distinct time ({@link Counts}: events and censorings at that time), so a
 * million customers can be aggregated in SQL first. At a tied time events are taken before
 * censorings (a customer censored at t was at risk at t). Out: a {@link Curve} with one
 * {@link Point} per distinct time.
 */
public final class KaplanMeier {

    /** z for a two-sided 95 % interval. */
    static final double Z95 = 1.959963984540054;

    private KaplanMeier() {}

    /** Events and censorings observed at one time. */
    public record Counts(double time, long events, long censored) {
        public Counts {
            if (events < 0 || censored < 0) {
                throw new IllegalArgumentException("counts must be >= 0 at time " + time);
            }
        }
    }

    /**
     * One step of the curve: at {@code time}, {@code atRisk} subjects were at risk, {@code events}
     * had the event and {@code censored} were censored; {@code survival} is S(time) just after it.
     * The band is NaN-free: [1, 1] before the first event and [0, 0] once S reaches 0.
     */
    public record Point(double time, long atRisk, long events, long censored, double survival, double standardError,
                        double lower95, double upper95) {}

    /**
     * A fitted curve. {@code median} is the first time S(t) ≤ 0.5, null while S stays above 0.5
     * (as R and lifelines report it); {@code medianLower95}/{@code medianUpper95} are the first
     * times the upper/lower band reaches 0.5 (null when never).
     */
    public record Curve(long subjects, long events, List<Point> points, Double median, Double medianLower95,
                        Double medianUpper95) {

        /** S(t): the survival just after the last step at or before t (1 before the first step). */
        public double survivalAt(double t) {
            double s = 1.0;
            for (Point p : points) {
                if (p.time() > t) {
                    break;
                }
                s = p.survival();
            }
            return s;
        }
    }

    /** Fits from one observation per subject: {@code times[i]} and whether the event happened. */
    public static Curve fit(double[] times, boolean[] events) {
        if (times.length != events.length) {
            throw new IllegalArgumentException("times and events differ in length: " + times.length + " vs " + events.length);
        }
        Map<Double, long[]> byTime = new TreeMap<>();
        for (int i = 0; i < times.length; i++) {
            long[] c = byTime.computeIfAbsent(times[i], k -> new long[2]);
            c[events[i] ? 0 : 1]++;
        }
        List<Counts> counts = new ArrayList<>();
        byTime.forEach((t, c) -> counts.add(new Counts(t, c[0], c[1])));
        return fromCounts(counts);
    }

    /** Fits from counts per distinct time (any order; equal times are merged). */
    public static Curve fromCounts(List<Counts> counts) {
        TreeMap<Double, long[]> byTime = new TreeMap<>();
        long n = 0;
        long totalEvents = 0;
        for (Counts c : counts) {
            if (!Double.isFinite(c.time()) || c.time() < 0) {
                throw new IllegalArgumentException("survival times must be finite and >= 0: " + c.time());
            }
            long[] agg = byTime.computeIfAbsent(c.time(), k -> new long[2]);
            agg[0] += c.events();
            agg[1] += c.censored();
            n += c.events() + c.censored();
            totalEvents += c.events();
        }
        List<Point> points = new ArrayList<>(byTime.size());
        long atRisk = n;
        double s = 1.0;
        double greenwood = 0.0;
        for (Map.Entry<Double, long[]> e : byTime.entrySet()) {
            long d = e.getValue()[0];
            long c = e.getValue()[1];
            if (d > 0) {
                s *= 1.0 - (double) d / atRisk;
                greenwood += d < atRisk ? (double) d / ((double) atRisk * (atRisk - d)) : Double.POSITIVE_INFINITY;
            }
            points.add(point(e.getKey(), atRisk, d, c, s, greenwood));
            atRisk -= d + c;
        }
        return new Curve(n, totalEvents, List.copyOf(points), firstAtOrBelowHalf(points, 0),
                firstAtOrBelowHalf(points, 2), firstAtOrBelowHalf(points, 1));
    }

    private static Point point(double time, long atRisk, long d, long c, double s, double greenwood) {
        if (s <= 0.0) {
            return new Point(time, atRisk, d, c, 0.0, 0.0, 0.0, 0.0);
        }
        if (s >= 1.0) {
            return new Point(time, atRisk, d, c, 1.0, 0.0, 1.0, 1.0);
        }
        double se = s * Math.sqrt(greenwood);
        double logS = Math.log(s);
        // Var(log(−log S)) = Greenwood sum / (log S)^2 and S = exp(−exp(θ)) maps θ ± z·se back.
        double seLogLog = Math.sqrt(greenwood) / Math.abs(logS);
        double lower = Math.pow(s, Math.exp(Z95 * seLogLog));
        double upper = Math.pow(s, Math.exp(-Z95 * seLogLog));
        return new Point(time, atRisk, d, c, s, se, lower, upper);
    }

    /** which: 0 survival, 1 lower band, 2 upper band. */
    private static Double firstAtOrBelowHalf(List<Point> points, int which) {
        for (Point p : points) {
            double v = which == 0 ? p.survival() : which == 1 ? p.lower95() : p.upper95();
            if (v <= 0.5) {
                return p.time();
            }
        }
        return null;
    }
}
