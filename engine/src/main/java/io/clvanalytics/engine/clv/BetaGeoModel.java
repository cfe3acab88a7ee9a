package io.clvanalytics.engine.clv;

import static org.apache.commons.numbers.gamma.LogGamma.value;

import java.util.List;
import org.apache.commons.numbers.gamma.Digamma;

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

    /**
     * Per-row log-likelihood (FHL 2005, eq. 6) without the shared constant, and its gradient:
     * frequency-only terms once per distinct frequency, ln(α+T) and ln(α+t_x) once per distinct value.
     */
    private static Models.Row rows(double[] params, Models.Prepared p) {
        double r = params[0], alpha = params[1], a = params[2], b = params[3];
        Models.Frequencies f = p.f;
        int[] x = f.x();
        double[] base = new double[f.max() + 1];
        double[] dBaseR = new double[f.max() + 1];
        double[] dBaseA = new double[f.max() + 1];
        double[] dBaseB = new double[f.max() + 1];
        double[] drop = new double[f.max() + 1];
        for (int v : f.distinct()) {
            double psiABX = Digamma.value(a + b + v);
            base[v] = value(r + v) + value(b + v) - value(a + b + v);
            dBaseR[v] = Digamma.value(r + v);
            dBaseA[v] = -psiABX;
            dBaseB[v] = Digamma.value(b + v) - psiABX;
            drop[v] = v == 0 ? 0 : Math.log(a) - Math.log(b + v - 1);
        }
        double[] logT = Models.Prepared.logPlus(alpha, p.distinctT);
        double[] invT = Models.Prepared.inversePlus(alpha, p.distinctT);
        double[] logTx = Models.Prepared.logPlus(alpha, p.distinctRecency);
        double[] invTx = Models.Prepared.inversePlus(alpha, p.distinctRecency);
        int[] ti = p.tIndex, ri = p.recencyIndex;
        return (i, w, acc) -> {
            int xi = x[i];
            double rx = r + xi;
            int t = ti[i];
            double a3 = -rx * logT[t];
            double ll, gr, ga, gA, gB;
            if (xi == 0) {
                ll = a3;
                gr = -logT[t];
                ga = -rx * invT[t];
                gA = 0;
                gB = 0;
            } else {
                int j = ri[i];
                double a4 = drop[xi] - rx * logTx[j];
                // Weights of the two terms of log(e^a3 + e^a4), with one exp and one log.
                double p4;
                if (a4 <= a3) {
                    double e = Math.exp(a4 - a3);
                    ll = a3 + Models.log1pUnit(e);
                    p4 = e / (1 + e);
                } else {
                    double e = Math.exp(a3 - a4);
                    ll = a4 + Models.log1pUnit(e);
                    p4 = 1 / (1 + e);
                }
                double p3 = 1 - p4;
                gr = -p3 * logT[t] - p4 * logTx[j];
                ga = -rx * (p3 * invT[t] + p4 * invTx[j]);
                gA = p4 / a;
                gB = -p4 / (b + xi - 1);
            }
            double value = base[xi] + ll;
            acc[0] += w * value;
            acc[1] += w * (dBaseR[xi] + gr);
            acc[2] += w * ga;
            acc[3] += w * (dBaseA[xi] + gA);
            acc[4] += w * (dBaseB[xi] + gB);
            return value;
        };
    }

    /** c_x = a / (b + x − 1) after a repeat purchase, 0 before any (nobody drops out before buying again). */
    @Override
    public double[] aliveOdds(double[] params, double[] x) {
        double a = params[2], b = params[3];
        return Rows.map(x.length, i -> x[i] == 0 ? 0 : a / (b + x[i] - 1));
    }

    @Override
    public double[] probabilityAlive(double[] params, double[] x, double[] tx, double[] T) {
        double r = params[0], alpha = params[1];
        double[] odds = aliveOdds(params, x);
        return Rows.map(x.length, i -> odds[i] == 0 ? 1.0
                : 1 / (1 + odds[i] * Math.exp((r + x[i]) * Math.log((alpha + T[i]) / (alpha + tx[i])))));
    }

    @Override
    public double[] expectedPurchases(double[] params, double t, double[] x, double[] tx, double[] T) {
        double[] alive = probabilityAlive(params, x, tx, T);
        double[] ifAlive = expectedPurchasesIfAlive(params, t, x, T);
        return Rows.map(x.length, i -> alive[i] * ifAlive[i]);
    }

    @Override
    public double[] expectedPurchasesIfAlive(double[] params, double t, double[] x, double[] T) {
        double r = params[0], alpha = params[1], a = params[2], b = params[3];
        return Rows.map(x.length, i -> future(r + x[i], alpha + T[i], a, b + x[i], t));
    }

    @Override
    public double[] probabilityOfPurchases(double[] params, int n, double t, double[] x, double[] tx, double[] T) {
        double[] alive = probabilityAlive(params, x, tx, T);
        double[] ifAlive = probabilityOfPurchasesIfAlive(params, n, t, x, T);
        return Rows.map(x.length, i -> (n == 0 ? 1 - alive[i] : 0) + alive[i] * ifAlive[i]);
    }

    @Override
    public double[] probabilityOfPurchasesIfAlive(double[] params, int n, double t, double[] x, double[] T) {
        double r = params[0], alpha = params[1], a = params[2], b = params[3];
        return Rows.map(x.length, i -> pmf(r + x[i], alpha + T[i], a, b + x[i], n, t));
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

    /**
     * P(X(t) = n) for the same customer (FHL 2005, eq. 8), in log space where it can overflow. The ratios of Beta and
     * Gamma functions at arguments n apart are sums of logs of their recurrences' factors (B(a, b+1) = B(a, b)·b/(a+b),
     * Γ(r+1) = r·Γ(r)), not differences of log-Beta and log-Gamma values: scoring evaluates this for n = 0, 1, 2 at
     * every distinct (frequency, T) pair, and the special functions were most of that time.
     */
    static double pmf(double r, double alpha, double a, double b, int n, double t) {
        if (n < 0) {
            return 0;
        }
        if (t <= 0) {
            return n == 0 ? 1 : 0;
        }
        double logP = Math.log(alpha / (alpha + t));
        double logQ = Math.log(t / (alpha + t));
        // term j = Γ(r+j) / (Γ(r) j!) · p^r q^j, the NBD's P(X = j); cdf its sum over j < n
        double logTerm = r * logP;
        double cdf = 0;
        double logBetaRatio = 0; // log B(a, b+j) / B(a, b)
        for (int j = 0; j < n; j++) {
            cdf += Math.exp(logTerm);
            logTerm += Math.log((r + j) / (j + 1.0)) + logQ;
            logBetaRatio += Math.log((b + j) / (a + b + j));
        }
        double first = Math.exp(logBetaRatio + logTerm);
        if (n == 0) {
            return first;
        }
        // B(a+1, b+n-1) / B(a, b) = a/(a+b) · Π_{k=0}^{n-2} (b+k) / (a+1+b+k)
        double logSecondRatio = Math.log(a / (a + b));
        for (int k = 0; k < n - 1; k++) {
            logSecondRatio += Math.log((b + k) / (a + 1 + b + k));
        }
        return first + Math.exp(logSecondRatio) * Math.max(0, 1 - cdf);
    }
}
