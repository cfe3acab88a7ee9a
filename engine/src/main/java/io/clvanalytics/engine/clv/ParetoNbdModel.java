package io.clvanalytics.engine.clv;

import static org.apache.commons.numbers.gamma.LogGamma.value;

import java.util.List;
import org.hipparchus.analysis.integration.IterativeLegendreGaussIntegrator;

/**
 * Pareto/NBD: Schmittlein, Morrison &amp; Colombo (1987), with the likelihood of Fader, Hardie &amp;
 * Lee (2005), "A note on implementing the Pareto/NBD model in MATLAB" (the form lifetimes'
 * {@code ParetoNBDFitter} uses, with the Gauss hypergeometric function). While alive a customer
 * buys at rate λ ~ Gamma(r, α); the lifetime is exponential with rate μ ~ Gamma(s, β).
 * Parameters in order: r, alpha, s, beta.
 *
 * <p>Given the history, a customer alive at T has λ ~ Gamma(r+x, α+T) and μ ~ Gamma(s, β+T) and
 * from then on is a fresh Pareto/NBD customer; the conditional predictions use that.
 */
public final class ParetoNbdModel implements PurchaseModel {

    public static final String NAME = "pnbd";
    public static final List<String> PARAMETERS = List.of("r", "alpha", "s", "beta");
    /** Series terms allowed per 2F1 in the likelihood; slower points are extreme and rejected by the optimizer. */
    private static final int LIKELIHOOD_TERMS = 5_000;
    /**
     * Largest 2F1 argument the likelihood evaluates: beyond it the series needs thousands of terms
     * per customer, and only extreme parameters (one of α, β tiny beside the other) reach it. The
     * optimizer treats such points as infeasible; a fit whose optimum lies there fails with a
     * CalculationException instead of silently taking minutes.
     */
    private static final double LIKELIHOOD_MAX_Z = 0.995;

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
        Models.requireInformation(NAME, data);
        double scale = Models.meanT(data);
        RfmData coarse = Models.subsample(data);
        return MaximumLikelihood.fit(NAME, PARAMETERS, p -> Models.weightedSum(logLikelihood(p, data), data.weight()),
                p -> Models.weightedSum(logLikelihood(p, coarse), coarse.weight()), data.customers(), data.size(), penalizer,
                List.of(new double[] {1, 1, 1, 1}, new double[] {0.5, scale, 0.5, scale}, new double[] {0.1, 0.1 * scale, 1, 2 * scale}));
    }

    @Override
    public double[] logLikelihood(double[] params, RfmData data) {
        double r = params[0], alpha = params[1], s = params[2], beta = params[3];
        double[] x = data.frequency(), tx = data.recency(), T = data.T();
        double constant = -value(r) + r * Math.log(alpha) + s * Math.log(beta);
        return Rows.map(data.size(), i -> {
            double xi = x[i];
            double alive = -(r + xi) * Math.log(alpha + T[i]) - s * Math.log(beta + T[i]);
            double logA0 = logA0(r, alpha, s, beta, xi, tx[i], T[i]);
            double rsx = r + s + xi;
            return value(r + xi) + constant + Models.logAddExp(alive, Math.log(s) + logA0 - Math.log(rsx));
        });
    }

    /** log of the integral over the dropout time in (t_x, T] (the A_0 term of the note). */
    private static double logA0(double r, double alpha, double s, double beta, double x, double tx, double T) {
        if (tx >= T) {
            return Double.NEGATIVE_INFINITY;
        }
        double max = Math.max(alpha, beta);
        double diff = Math.abs(alpha - beta);
        double second = alpha >= beta ? s + 1 : r + x;
        double rsx = r + s + x;
        double q1 = max + tx;
        double q2 = max + T;
        if (diff / q1 > LIKELIHOOD_MAX_Z) {
            throw new io.clvanalytics.engine.CalculationException("pnbd likelihood: 2F1 argument " + diff / q1 + " too close to 1",
                    java.util.Map.of("alpha", alpha, "beta", beta));
        }
        double term1 = Hypergeometric.log2F1(rsx, second, rsx + 1, diff / q1, LIKELIHOOD_TERMS) - rsx * Math.log(q1);
        double term2 = Hypergeometric.log2F1(rsx, second, rsx + 1, diff / q2, LIKELIHOOD_TERMS) - rsx * Math.log(q2);
        if (!(term2 < term1)) {
            return Double.NEGATIVE_INFINITY;
        }
        return term1 + Math.log(-Math.expm1(term2 - term1));
    }

    @Override
    public double[] probabilityAlive(double[] params, double[] x, double[] tx, double[] T) {
        double r = params[0], alpha = params[1], s = params[2], beta = params[3];
        double rsLog = Math.log(s);
        return Rows.map(x.length, i -> {
            double alive = -(r + x[i]) * Math.log(alpha + T[i]) - s * Math.log(beta + T[i]);
            double dead = rsLog + logA0(r, alpha, s, beta, x[i], tx[i], T[i]) - Math.log(r + s + x[i]);
            return 1 / (1 + Math.exp(dead - alive));
        });
    }

    @Override
    public double[] expectedPurchases(double[] params, double t, double[] x, double[] tx, double[] T) {
        double r = params[0], alpha = params[1], s = params[2], beta = params[3];
        double[] alive = probabilityAlive(params, x, tx, T);
        return Rows.map(x.length, i -> alive[i] * future(r + x[i], alpha + T[i], s, beta + T[i], t));
    }

    @Override
    public double[] probabilityOfPurchases(double[] params, int n, double t, double[] x, double[] tx, double[] T) {
        double r = params[0], alpha = params[1], s = params[2], beta = params[3];
        double[] alive = probabilityAlive(params, x, tx, T);
        return Rows.map(x.length, i ->
                (n == 0 ? 1 - alive[i] : 0) + alive[i] * pmf(r + x[i], alpha + T[i], s, beta + T[i], n, t));
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
     * Expected purchases in (0, t] of a customer alive at 0: r β / (α (s-1)) · [1 - (β/(β+t))^(s-1)],
     * written with expm1 so s = 1 gives its limit r/α · β · ln((β+t)/β).
     */
    static double future(double r, double alpha, double s, double beta, double t) {
        if (t <= 0) {
            return 0;
        }
        double logRatio = Math.log(beta / (beta + t));
        double bracket = Math.abs(s - 1) < 1e-12 ? -logRatio : -Math.expm1((s - 1) * logRatio) / (s - 1);
        return r * beta / alpha * bracket;
    }

    /**
     * P(X(t) = n) of a customer alive at 0: alive throughout with probability (β/(β+t))^s and NBD
     * counts, or dying at τ in (0, t) with density s β^s / (β+τ)^(s+1) and NBD counts up to τ. The
     * integral is done with Hipparchus' Gauss-Legendre integrator rather than the closed form in
     * 2F1, which cancels badly for large n.
     */
    static double pmf(double r, double alpha, double s, double beta, int n, double t) {
        if (n < 0) {
            return 0;
        }
        if (t <= 0) {
            return n == 0 ? 1 : 0;
        }
        double logCoef = value(r + n) - value(r) - value(n + 1.0);
        java.util.function.DoubleUnaryOperator nbd = tau -> tau <= 0 ? (n == 0 ? 1 : 0)
                : Math.exp(logCoef + r * Math.log(alpha / (alpha + tau)) + n * Math.log(tau / (alpha + tau)));
        double aliveAll = Math.exp(s * Math.log(beta / (beta + t))) * nbd.applyAsDouble(t);
        IterativeLegendreGaussIntegrator integrator = new IterativeLegendreGaussIntegrator(16, 1e-9, 1e-14);
        double died = integrator.integrate(20_000,
                tau -> s / beta * Math.exp(-(s + 1) * Math.log1p(tau / beta)) * nbd.applyAsDouble(tau), 0, t);
        return aliveAll + died;
    }
}
