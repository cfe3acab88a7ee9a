package io.clvanalytics.engine.clv;

import static org.apache.commons.numbers.gamma.LogGamma.value;

import io.clvanalytics.engine.CalculationException;
import java.util.List;
import java.util.Map;

/**
 * Gamma-Gamma spend model: Fader, Hardie &amp; Lee (2005), "RFM and CLV: using iso-value curves for
 * customer base analysis", JMR 42(4), as in Colombo &amp; Jiang (1999). A customer's transaction
 * values are Gamma(p, ν) with ν ~ Gamma(q, γ); spend is independent of the purchase process.
 * Parameters in order: p, q, gamma (lifetimes calls γ {@code v}).
 */
public final class GammaGammaModel {

    public static final String NAME = "gg";
    public static final List<String> PARAMETERS = List.of("p", "q", "gamma");

    /** Fits on customers with at least one repeat purchase (see {@link SpendData}). */
    public FitResult fit(SpendData data, double penalizer) {
        double[] x = data.frequency();
        double[] m = data.monetary();
        double[] w = data.weight();
        double customers = Rows.sum(data.size(), i -> w[i]);
        double meanSpend = Rows.sum(data.size(), i -> w[i] * m[i]) / customers;
        return MaximumLikelihood.fit(NAME, PARAMETERS, p -> Models.weightedSum(logLikelihood(p, x, m), w),
                customers, data.size(), penalizer,
                List.of(new double[] {1, 1, 1}, new double[] {2, 3, meanSpend}, new double[] {5, 2, meanSpend / 5}));
    }

    /** Log-likelihood of each customer's mean spend m given x repeat purchases (lifetimes' form). */
    public double[] logLikelihood(double[] params, double[] x, double[] m) {
        double p = params[0], q = params[1], v = params[2];
        double constant = -value(q) + q * Math.log(v);
        return Rows.map(x.length, i -> {
            double px = p * x[i];
            return value(px + q) - value(px) + constant + (px - 1) * Math.log(m[i]) + px * Math.log(x[i])
                    - (px + q) * Math.log(x[i] * m[i] + v);
        });
    }

    /**
     * Expected mean transaction value of each customer given x repeat purchases with mean m:
     * p (γ + x m) / (p x + q - 1), a weighted average of the population mean p γ / (q - 1) and the
     * customer's own mean. For x = 0 it is the population mean.
     *
     * @throws CalculationException when q ≤ 1 (the model's mean spend is infinite)
     */
    public double[] conditionalExpectedSpend(double[] params, double[] x, double[] m) {
        double p = params[0], q = params[1], v = params[2];
        requireFiniteMean(q);
        return Rows.map(x.length, i -> x[i] == 0 ? p * v / (q - 1) : p * (v + x[i] * m[i]) / (p * x[i] + q - 1));
    }

    /** The population mean transaction value p γ / (q - 1). */
    public double populationMeanSpend(double[] params) {
        requireFiniteMean(params[1]);
        return params[0] * params[2] / (params[1] - 1);
    }

    private static void requireFiniteMean(double q) {
        if (!(q > 1)) {
            throw new CalculationException("Gamma-Gamma q = " + q + " <= 1: the fitted model has an infinite mean spend,"
                    + " so no expected spend can be given", Map.of("q", q));
        }
    }
}
