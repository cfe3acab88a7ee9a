package io.clvanalytics.engine.retention;

import io.clvanalytics.engine.CalculationException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.hipparchus.special.Gamma;

/**
 * The two-group log-rank (Mantel-Cox) test of equal survival, with the hypergeometric variance
 * that R's {@code survdiff} and lifelines' {@code logrank_test} use; the p-value comes from the
 * chi-square distribution with one degree of freedom (Hipparchus' regularized gamma function).
 */
public final class LogRankTest {

    private LogRankTest() {}

    /**
     * The result: observed and expected events of each group, the chi-square statistic and its
     * p-value.
     */
    public record Result(String groupA, String groupB, long subjectsA, long subjectsB, long observedA,
                         double expectedA, long observedB, double expectedB, double chiSquare, double pValue) {}

    /** Compares two groups given as counts per distinct time (see {@link KaplanMeier.Counts}). */
    public static Result compare(String nameA, List<KaplanMeier.Counts> a, String nameB, List<KaplanMeier.Counts> b) {
        TreeMap<Double, long[]> times = new TreeMap<>();
        long nA = add(times, a, 0);
        long nB = add(times, b, 2);
        long atRiskA = nA;
        long atRiskB = nB;
        long observedA = 0;
        long observedB = 0;
        double expectedA = 0;
        double variance = 0;
        for (long[] c : times.values()) {
            long dA = c[0];
            long dB = c[2];
            long d = dA + dB;
            long n = atRiskA + atRiskB;
            if (d > 0 && n > 0) {
                expectedA += (double) atRiskA * d / n;
                if (n > 1) {
                    variance += (double) atRiskA * atRiskB * d * (n - d) / ((double) n * n * (n - 1));
                }
            }
            observedA += dA;
            observedB += dB;
            atRiskA -= dA + c[1];
            atRiskB -= dB + c[3];
        }
        double expectedB = observedA + observedB - expectedA;
        if (!(variance > 0)) {
            throw new CalculationException("log-rank test needs events in both groups while both are at risk",
                    Map.of(nameA + " subjects", nA, nameB + " subjects", nB, "events", observedA + observedB));
        }
        double chi = Math.pow(observedA - expectedA, 2) / variance;
        // P(χ²₁ > chi) = Q(1/2, chi/2), the upper regularized gamma; 1 − CDF would round to 0 for large chi.
        double p = Gamma.regularizedGammaQ(0.5, chi / 2);
        return new Result(nameA, nameB, nA, nB, observedA, expectedA, observedB, expectedB, chi, p);
    }

    private static long add(TreeMap<Double, long[]> times, List<KaplanMeier.Counts> counts, int offset) {
        long n = 0;
        for (KaplanMeier.Counts c : counts) {
            long[] v = times.computeIfAbsent(c.time(), k -> new long[4]);
            v[offset] += c.events();
            v[offset + 1] += c.censored();
            n += c.events() + c.censored();
        }
        return n;
    }
}
