package io.clvanalytics.engine.clv;

import static org.apache.commons.numbers.gamma.LogGamma.value;

import io.clvanalytics.engine.CalculationException;
import java.util.List;
import java.util.Map;
import org.apache.commons.numbers.gamma.Digamma;

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
        double[] w = data.weight();
        double customers = Rows.sum(data.size(), i -> w[i]);
        double meanSpend = Rows.sum(data.size(), i -> w[i] * data.monetary()[i]) / customers;
        Prepared full = new Prepared(data);
        return MaximumLikelihood.fit(NAME, PARAMETERS, full::total, customers, data.size(), penalizer,
                List.of(new double[] {1, 1, 1}, new double[] {2, 3, meanSpend}, new double[] {5, 2, meanSpend / 5}));
    }

    /** Log-likelihood of each customer's mean spend m given x repeat purchases (lifetimes' form). */
    public double[] logLikelihood(double[] params, double[] x, double[] m) {
        Prepared p = new Prepared(new SpendData(x, m, ones(x.length)));
        Models.Row row = p.rows(params);
        return Rows.map(x.length, i -> row.add(i, 1, new double[4]));
    }

    private static double[] ones(int n) {
        double[] w = new double[n];
        java.util.Arrays.fill(w, 1);
        return w;
    }

    /** The data with its logs taken once and the frequency-only terms tabulated per distinct frequency. */
    private static final class Prepared {
        final SpendData data;
        final Models.Frequencies f;
        final double[] logM;
        final double[] logX;

        Prepared(SpendData data) {
            this.data = data;
            this.f = Models.Frequencies.of(data.frequency());
            this.logM = Rows.map(data.size(), i -> Math.log(data.monetary()[i]));
            this.logX = Rows.map(data.size(), i -> Math.log(data.frequency()[i]));
        }

        /** Total weighted log-likelihood; its gradient in (p, q, γ) into {@code gradient} when not null. */
        double total(double[] params, double[] gradient) {
            Models.Row row = rows(params);
            double[] w = data.weight();
            double[] sums = Rows.sums(data.size(), 4, (i, acc) -> row.add(i, w[i], acc));
            if (gradient != null) {
                System.arraycopy(sums, 1, gradient, 0, 3);
            }
            return sums[0];
        }

        /**
         * Row i: (px−1) ln m + px ln x − (px+q) ln(x m + γ) + lnΓ(px+q) − lnΓ(px) + q ln γ − lnΓ(q), and
         * its derivatives in p, q, γ.
         */
        Models.Row rows(double[] params) {
            double p = params[0], q = params[1], v = params[2];
            double constant = -value(q) + q * Math.log(v);
            double dConstantQ = -Digamma.value(q) + Math.log(v);
            double[] base = new double[f.max() + 1];
            double[] dBaseP = new double[f.max() + 1];
            double[] dBaseQ = new double[f.max() + 1];
            for (int x : f.distinct()) {
                double psiPxQ = Digamma.value(p * x + q);
                base[x] = value(p * x + q) - value(p * x) + constant;
                dBaseP[x] = x * (psiPxQ - Digamma.value(p * x));
                dBaseQ[x] = psiPxQ + dConstantQ;
            }
            int[] xs = f.x();
            double[] x = data.frequency();
            double[] m = data.monetary();
            return (i, w, acc) -> {
                double xi = x[i];
                double px = p * xi;
                double spend = xi * m[i] + v;
                double logSpend = Math.log(spend);
                double value = base[xs[i]] + (px - 1) * logM[i] + px * logX[i] - (px + q) * logSpend;
                acc[0] += w * value;
                acc[1] += w * (dBaseP[xs[i]] + xi * (logM[i] + logX[i] - logSpend));
                acc[2] += w * (dBaseQ[xs[i]] - logSpend);
                acc[3] += w * (q / v - (px + q) / spend);
                return value;
            };
        }
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
