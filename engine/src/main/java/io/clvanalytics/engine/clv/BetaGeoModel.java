package io.clvanalytics.engine.clv;

import static org.apache.commons.numbers.gamma.LogGamma.value;

import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * BG/NBD: Fader, Hardie &amp; Lee (2005), "Counting your customers the easy way: an alternative to
 * the Pareto/NBD model", Marketing Science 24(2). While alive a customer buys at Poisson rate λ
 * (λ ~ Gamma(r, α)); after each repeat purchase they drop out with probability p (p ~ Beta(a, b)).
 * Parameters in order: r, alpha, a, b. Formulas follow the paper and lifetimes' {@code BetaGeoFitter}.
 */
public final class BetaGeoModel implements PurchaseModel {

    public static final String NAME = "bgnbd";
    public static final List<String> PARAMETERS = List.of("r", "alpha", "a", "b");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> parameterNames() {
        return PARAMETERS;
    }

    @Override
    public FitResult fit(RfmData data, double penalizer) {
        return Models.fitBetaGeoFamily(NAME, PARAMETERS, data, penalizer, BetaGeoModel::rows);
    }

    @Override
    public double[] logLikelihood(double[] params, RfmData data) {
        return Models.rowLogLikelihoods(BetaGeoModel::rows, params, data);
    }

    /** Per-row log-likelihood (FHL 2005, eq. 6); frequency-only terms computed once per distinct frequency. */
    private static IntToDoubleFunction rows(double[] params, RfmData data, Models.Frequencies f) {
        double r = params[0], alpha = params[1], a = params[2], b = params[3];
        double[] tx = data.recency(), T = data.T();
        int[] x = f.x();
        double constant = -value(r) + r * Math.log(alpha) + value(a + b) - value(b);
        double[] base = new double[f.max() + 1];
        double[] drop = new double[f.max() + 1];
        for (int v : f.distinct()) {
            base[v] = value(r + v) + constant + value(b + v) - value(a + b + v);
            drop[v] = v == 0 ? 0 : Math.log(a) - Math.log(b + v - 1);
        }
        return i -> {
            int xi = x[i];
            double a3 = -(r + xi) * Math.log(alpha + T[i]);
            if (xi == 0) {
                return base[0] + a3;
            }
            return base[xi] + Models.logAddExp(a3, drop[xi] - (r + xi) * Math.log(alpha + tx[i]));
        };
    }

    @Override
    public double[] probabilityAlive(double[] params, double[] x, double[] tx, double[] T) {
        double r = params[0], alpha = params[1], a = params[2], b = params[3];
        return Rows.map(x.length, i -> x[i] == 0 ? 1.0
                : 1 / (1 + Math.exp(Math.log(a / (b + x[i] - 1)) + (r + x[i]) * Math.log((alpha + T[i]) / (alpha + tx[i])))));
    }

    @Override
    public double[] expectedPurchases(double[] params, double t, double[] x, double[] tx, double[] T) {
        double r = params[0], alpha = params[1], a = params[2], b = params[3];
        double[] alive = probabilityAlive(params, x, tx, T);
        return Rows.map(x.length, i -> alive[i] * future(r + x[i], alpha + T[i], a, b + x[i], t));
    }

    @Override
    public double[] probabilityOfPurchases(double[] params, int n, double t, double[] x, double[] tx, double[] T) {
        double r = params[0], alpha = params[1], a = params[2], b = params[3];
        double[] alive = probabilityAlive(params, x, tx, T);
        return Rows.map(x.length, i -> (n == 0 ? 1 - alive[i] : 0) + alive[i] * pmf(r + x[i], alpha + T[i], a, b + x[i], n, t));
    }

    @Override
    public double expectedPurchasesNewCustomer(double[] params, double t) {
        return future(params[0], params[1], params[2], params[3], t);
    }

    @Override
    public double probabilityOfPurchasesNewCustomer(double[] params, int n, double t) {
        return pmf(params[0], params[1], params[2], params[3], n, t);
    }

    /**
     * Expected purchases in (0, t] of a customer alive at 0 whose rate is Gamma(r, α) and whose
     * dropout probability is Beta(a, b), dropping out only after purchases (FHL 2005, eq. 7):
     * (a+b-1)/(a-1) · [1 - (α/(α+t))^r · 2F1(r, b; a+b-1; t/(α+t))].
     */
    static double future(double r, double alpha, double a, double b, double t) {
        if (t <= 0) {
            return 0;
        }
        double z = t / (alpha + t);
        double product = Hypergeometric.timesExp(r, b, a + b - 1, z, r * Math.log(alpha / (alpha + t)));
        return (a + b - 1) / (a - 1) * (1 - product);
    }

    /** P(X(t) = n) for the same customer (FHL 2005, eq. 8), in log space where it can overflow. */
    static double pmf(double r, double alpha, double a, double b, int n, double t) {
        if (n < 0) {
            return 0;
        }
        if (t <= 0) {
            return n == 0 ? 1 : 0;
        }
        double logBetaAB = Models.logBeta(a, b);
        double logP = Math.log(alpha / (alpha + t));
        double logQ = Math.log(t / (alpha + t));
        double first = Math.exp(Models.logBeta(a, b + n) - logBetaAB + value(r + n) - value(r) - value(n + 1.0)
                + r * logP + n * logQ);
        if (n == 0) {
            return first;
        }
        double cdf = 0;
        for (int j = 0; j < n; j++) {
            cdf += Math.exp(value(r + j) - value(r) - value(j + 1.0) + r * logP + j * logQ);
        }
        double second = Math.exp(Models.logBeta(a + 1, b + n - 1) - logBetaAB) * Math.max(0, 1 - cdf);
        return first + second;
    }
}
