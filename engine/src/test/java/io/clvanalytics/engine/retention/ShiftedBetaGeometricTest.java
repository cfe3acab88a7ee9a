package io.clvanalytics.engine.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.clvanalytics.engine.CalculationException;
import org.junit.jupiter.api.Test;

/**
 * sBG checked against the published example of Fader, P. S. and Hardie, B. G. S. (2007), "How to
 * Project Customer Retention", Journal of Interactive Marketing 21(1), 76-90: 1,000 customers
 * acquired at once, survivors at the start of years 0-7 for the "high end" and "regular" segments.
 * The paper calibrates on those seven years (years 8-12 are its holdout) and prints α = 0.668,
 * β = 3.806 (high end) and α = 0.704, β = 1.182 (regular).
 */
class ShiftedBetaGeometricTest {

    private static final long[] HIGH_END = {1000, 869, 743, 653, 593, 551, 517, 491};
    private static final long[] REGULAR = {1000, 631, 468, 382, 326, 289, 262, 241};

    @Test
    void theHighEndSegmentReproducesThePublishedAlphaAndBeta() {
        ShiftedBetaGeometric.Fit fit = ShiftedBetaGeometric.fit(HIGH_END);
        assertEquals(0.668, round3(fit.alpha()));
        assertEquals(3.806, round3(fit.beta()));
    }

    @Test
    void theRegularSegmentReproducesThePublishedAlphaAndBeta() {
        ShiftedBetaGeometric.Fit fit = ShiftedBetaGeometric.fit(REGULAR);
        assertEquals(0.704, round3(fit.alpha()));
        assertEquals(1.182, round3(fit.beta()));
    }

    @Test
    void projectedSurvivalFollowsTheRecursionOfTheRetentionRates() {
        ShiftedBetaGeometric.Fit fit = ShiftedBetaGeometric.fit(REGULAR);
        assertEquals(1.0, fit.survival(0), 1e-12);
        double s = 1.0;
        for (int t = 1; t <= 12; t++) {
            s *= fit.retentionRate(t);
            assertEquals(s, fit.survival(t), 1e-12, "S(" + t + ")");
        }
        // Retention rates rise over time: the heterogeneity sorting effect the paper is about.
        for (int t = 2; t <= 12; t++) {
            assertEquals(true, fit.retentionRate(t) > fit.retentionRate(t - 1));
        }
        // The fitted curve tracks the calibration data (the paper's Figure 3 shows a close fit).
        for (int t = 1; t < REGULAR.length; t++) {
            assertEquals(REGULAR[t], 1000 * fit.survival(t), 12.0, "year " + t);
        }
    }

    @Test
    void derlMatchesItsClosedFormForAlphaAndBetaOfOne() {
        // With α = β = 1, S(t) = 1/(t + 1), so for a new customer (no renewals yet)
        // DERL = Σ_{t≥1} z^(t−1)/(t + 1) = (−ln(1 − z) − z)/z² with z = 1/(1 + d).
        ShiftedBetaGeometric.Fit fit = new ShiftedBetaGeometric.Fit(1.0, 1.0, 0, 0, 1000, 0);
        double d = 0.10;
        double z = 1 / (1 + d);
        assertEquals((-Math.log(1 - z) - z) / (z * z), fit.derl(d, 0), 1e-10);
    }

    @Test
    void derlEqualsTheDiscountedSumOfProjectedConditionalSurvival() {
        ShiftedBetaGeometric.Fit fit = ShiftedBetaGeometric.fit(HIGH_END);
        double d = 0.10;
        for (int renewals : new int[] {0, 1, 4}) {
            double direct = 0;
            int n = renewals + 1;
            for (int t = n; t < n + 2000; t++) {
                direct += fit.survival(t) / fit.survival(n - 1) * Math.pow(1 + d, -(t - n));
            }
            assertEquals(direct, fit.derl(d, renewals), 1e-8, "renewals " + renewals);
        }
        // Customers who have renewed more often are expected to stay longer.
        assertEquals(true, fit.derl(d, 4) > fit.derl(d, 0));
    }

    @Test
    void countsThatIncreaseAreRefusedWithThePeriodNamed() {
        CalculationException e = assertThrows(CalculationException.class,
                () -> ShiftedBetaGeometric.fit(new long[] {100, 80, 90}));
        assertEquals(true, e.getMessage().contains("period 2"), e.getMessage());
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
