package io.clvanalytics.engine.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class KaplanMeierTest {

    /**
     * Freireich et al. (1963) 6-MP vs placebo remission times of 42 leukaemia patients, weeks,
     * as tabulated in Kleinbaum, D. G. and Klein, M., "Survival Analysis: A Self-Learning Text"
     * (3rd ed., Springer 2012), chapter 2; also R's {@code MASS::gehan}. A negative number marks a
     * censored time.
     */
    static final double[] SIX_MP = {6, 6, 6, -6, 7, -9, 10, -10, -11, 13, 16, -17, -19, -20, 22, 23, -25, -32, -32, -34, -35};
    static final double[] PLACEBO = {1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23};

    @Test
    void aSmallExampleWithTiesAndCensoringMatchesTheHandComputation() {
        // Hand computation (events before censorings at a tied time):
        // t=2: 8 at risk, 1 event → S = 7/8 = 0.875, Greenwood sum 1/(8·7)
        // t=3: 7 at risk, 2 events, 1 censored → S = 0.875·5/7 = 0.625, sum += 2/(7·5) → 0.075
        // t=5: 4 at risk, 1 event → S = 0.625·3/4 = 0.46875 (the median: first S ≤ 0.5)
        // t=6: 3 at risk, 1 censored → unchanged
        // t=8: 2 at risk, 1 event, 1 censored → S = 0.234375
        // SE(3) = 0.625·√0.075 = 0.171163; log-log band at 3: 0.625^exp(±1.96·√0.075/0.470004)
        // = [0.22935, 0.86070].
        KaplanMeier.Curve c = KaplanMeier.fit(new double[] {2, 3, 3, 3, 5, 6, 8, 8},
                new boolean[] {true, true, true, false, true, false, true, false});
        List<KaplanMeier.Point> p = c.points();
        assertEquals(5, p.size());
        assertEquals(0.875, p.get(0).survival(), 1e-12);
        assertEquals(7, p.get(1).atRisk());
        assertEquals(0.625, p.get(1).survival(), 1e-12);
        assertEquals(0.171163, p.get(1).standardError(), 1e-6);
        assertEquals(0.22935, p.get(1).lower95(), 1e-4);
        assertEquals(0.86070, p.get(1).upper95(), 1e-4);
        assertEquals(0.46875, p.get(2).survival(), 1e-12);
        assertEquals(0.46875, p.get(3).survival(), 1e-12);
        assertEquals(0.234375, p.get(4).survival(), 1e-12);
        assertEquals(5.0, c.median());
        assertEquals(8, c.subjects());
        assertEquals(5, c.events());
        assertEquals(0.46875, c.survivalAt(7.5), 1e-12);
        assertEquals(1.0, c.survivalAt(1.0), 1e-12);
    }

    @Test
    void theSixMpGroupOfTheFreireichDataMatchesThePublishedCurve() {
        // Kleinbaum & Klein (2012), chapter 2, KM table for group 1 (6-MP), and R
        // survfit(Surv(time, cens) ~ 1) on MASS::gehan's 6-MP arm: S and Greenwood standard errors.
        KaplanMeier.Curve c = curve(SIX_MP);
        double[][] published = {
            {6, 0.857, 0.0764}, {7, 0.807, 0.0869}, {10, 0.753, 0.0963}, {13, 0.690, 0.1068},
            {16, 0.627, 0.1141}, {22, 0.538, 0.1282}, {23, 0.448, 0.1346}};
        for (double[] row : published) {
            assertEquals(row[1], c.survivalAt(row[0]), 0.0005, "S(" + row[0] + ")");
            KaplanMeier.Point p = c.points().stream().filter(x -> x.time() == row[0]).findFirst().orElseThrow();
            assertEquals(row[2], p.standardError(), 0.00005, "SE(" + row[0] + ")");
        }
        assertEquals(23.0, c.median());
        // lifelines' exponential Greenwood band at t = 6 (KaplanMeierFitter on the same data): 0.620 .. 0.952.
        KaplanMeier.Point six = c.points().get(0);
        assertEquals(0.620, six.lower95(), 0.0005);
        assertEquals(0.952, six.upper95(), 0.0005);
        // Placebo: every patient relapsed; median 8 weeks (Kleinbaum & Klein).
        KaplanMeier.Curve placebo = curve(PLACEBO);
        assertEquals(8.0, placebo.median());
        assertEquals(0.0, placebo.survivalAt(23), 1e-12);
    }

    @Test
    void theLogRankTestOnTheFreireichDataMatchesThePublishedStatistic() {
        // Kleinbaum & Klein (2012), chapter 2: observed 9 vs expected 19.25 (6-MP), 21 vs 10.75
        // (placebo), log-rank statistic 16.79, P < 0.0001; R survdiff: Chisq = 16.8, p = 4e-05.
        LogRankTest.Result r = LogRankTest.compare("6-MP", counts(SIX_MP), "placebo", counts(PLACEBO));
        assertEquals(9, r.observedA());
        assertEquals(19.25, r.expectedA(), 0.005);
        assertEquals(21, r.observedB());
        assertEquals(10.75, r.expectedB(), 0.005);
        assertEquals(16.79, r.chiSquare(), 0.005);
        assertEquals(4.17e-5, r.pValue(), 0.05e-5);
    }

    @Test
    void aCurveWithoutEventsNeverReachesTheMedian() {
        KaplanMeier.Curve c = KaplanMeier.fit(new double[] {1, 2}, new boolean[] {false, false});
        assertNull(c.median());
        assertEquals(1.0, c.survivalAt(5), 0.0);
    }

    static KaplanMeier.Curve curve(double[] signed) {
        return KaplanMeier.fromCounts(counts(signed));
    }

    static List<KaplanMeier.Counts> counts(double[] signed) {
        return java.util.Arrays.stream(signed)
                .mapToObj(v -> new KaplanMeier.Counts(Math.abs(v), v > 0 ? 1 : 0, v > 0 ? 0 : 1))
                .toList();
    }
}
