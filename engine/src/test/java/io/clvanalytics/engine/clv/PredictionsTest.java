package io.clvanalytics.engine.clv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The predictions agree with published examples and with each other (pmf sums to 1, its mean is the expectation). */
class PredictionsTest {

    static final double[] BG = {0.243, 4.414, 0.793, 2.426};
    static final double[] PNBD = {0.553, 10.578, 0.606, 11.669};
    static final double[] MBG = {0.525, 6.183, 0.891, 1.614};

    @Test
    void bgNbdExpectedPurchasesOfCdnowCustomerOneMatchesTheBgNbdPaper() {
        // Fader, Hardie & Lee (2005), section 5: the customer with x = 2, t_x = 30.43, T = 38.86 is
        // expected to make 1.226 purchases in the next 39 weeks.
        double e = new BetaGeoModel().expectedPurchases(BG, 39, new double[] {2}, new double[] {30.43}, new double[] {38.86})[0];
        assertEquals(1.226, e, 0.0005);
    }

    @Test
    void pmfsSumToOneAndTheirMeanIsTheExpectedNumberOfPurchases() {
        double[] x = {0, 1, 2, 7, 20};
        double[] tx = {0, 5.0, 30.43, 20, 38};
        double[] T = {10, 30, 38.86, 39, 39};
        for (PurchaseModel m : List.of(new BetaGeoModel(), new ParetoNbdModel(), new ModifiedBetaGeoModel())) {
            double[] params = m instanceof ParetoNbdModel ? PNBD : m instanceof ModifiedBetaGeoModel ? MBG : BG;
            double t = 39;
            double[] expected = m.expectedPurchases(params, t, x, tx, T);
            double[] total = new double[x.length];
            double[] mean = new double[x.length];
            double newTotal = 0;
            double newMean = 0;
            for (int n = 0; n < 400; n++) {
                double[] p = m.probabilityOfPurchases(params, n, t, x, tx, T);
                for (int i = 0; i < x.length; i++) {
                    assertTrue(p[i] >= 0 && p[i] <= 1, m.name() + " P(" + n + ") = " + p[i]);
                    total[i] += p[i];
                    mean[i] += n * p[i];
                }
                double q = m.probabilityOfPurchasesNewCustomer(params, n, t);
                newTotal += q;
                newMean += n * q;
            }
            for (int i = 0; i < x.length; i++) {
                assertEquals(1, total[i], 1e-6, m.name() + " row " + i);
                assertEquals(expected[i], mean[i], 1e-5 * Math.max(1, expected[i]), m.name() + " row " + i);
            }
            assertEquals(1, newTotal, 1e-6, m.name());
            assertEquals(m.expectedPurchasesNewCustomer(params, t), newMean, 1e-5, m.name());
        }
    }

    @Test
    void probabilityAliveFallsWithTimeSinceTheLastPurchase() {
        for (PurchaseModel m : List.of(new BetaGeoModel(), new ParetoNbdModel(), new ModifiedBetaGeoModel())) {
            double[] params = m instanceof ParetoNbdModel ? PNBD : m instanceof ModifiedBetaGeoModel ? MBG : BG;
            double[] p = m.probabilityAlive(params, new double[] {3, 3, 3}, new double[] {35, 20, 5}, new double[] {38, 38, 38});
            assertTrue(p[0] > p[1] && p[1] > p[2] && p[2] > 0 && p[0] <= 1, m.name() + " " + java.util.Arrays.toString(p));
        }
    }

    @Test
    void gammaGammaExpectedSpendShrinksTowardThePopulationMean() {
        GammaGammaModel gg = new GammaGammaModel();
        double[] params = {6.25, 3.74, 15.44};
        double population = gg.populationMeanSpend(params);
        assertEquals(6.25 * 15.44 / 2.74, population, 1e-12);
        double[] e = gg.conditionalExpectedSpend(params, new double[] {0, 1, 10}, new double[] {0, 100, 100});
        assertEquals(population, e[0], 1e-12);
        assertTrue(population < e[1] && e[1] < e[2] && e[2] < 100);
    }
}
