package io.clvanalytics.engine.clv;

import static org.apache.commons.numbers.gamma.LogGamma.value;

import java.util.List;
import org.apache.commons.numbers.gamma.Digamma;

/**
 * NBD (Ehrenberg 1959): purchases at Poisson rate λ ~ Gamma(r, α), nobody ever drops out. It is the
 * limit every "buy till you die" model reaches when its data show no drop-out: Pareto/NBD as s → 0,
 * BG/NBD and MBG/NBD as a → 0. Its log-likelihood per customer, lnΓ(r+x) − lnΓ(r) + r ln α −
 * (r+x) ln(α+T), is exactly theirs at that boundary, so the two are comparable
 * ({@link DropoutBoundary}). Parameters in order: r, alpha. P(alive) is 1 for everyone.
 *
 * <p>Not a {@code --model} of its own: it scores the runs whose fit reached the boundary.
 */
public final class NbdModel implements PurchaseModel {

    public static final String NAME = "nbd";
    public static final List<String> PARAMETERS = List.of("r", "alpha");

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
        return MaximumLikelihood.fit(NAME, PARAMETERS, (p, g) -> total(p, data, g), data.customers(), data.size(), penalizer,
                List.of(new double[] {1, 1}, new double[] {0.5, scale}, new double[] {0.1, 0.1 * scale}));
    }

    private static double total(double[] params, RfmData d, double[] gradient) {
        double r = params[0], alpha = params[1];
        double[] x = d.frequency(), T = d.T(), w = d.weight();
        double lgR = value(r), psiR = Digamma.value(r), logAlpha = Math.log(alpha);
        double[] sums = Rows.sums(d.size(), 3, (i, acc) -> {
            double rx = r + x[i];
            double logAT = Math.log(alpha + T[i]);
            double v = value(rx) - lgR + r * logAlpha - rx * logAT;
            acc[0] += w[i] * v;
            acc[1] += w[i] * (Digamma.value(rx) - psiR + logAlpha - logAT);
            acc[2] += w[i] * (r / alpha - rx / (alpha + T[i]));
        });
        if (gradient != null) {
            gradient[0] = sums[1];
            gradient[1] = sums[2];
        }
        return sums[0];
    }

    @Override
    public double[] logLikelihood(double[] params, RfmData data) {
        double r = params[0], alpha = params[1];
        return Rows.map(data.size(), i -> value(r + data.frequency()[i]) - value(r) + r * Math.log(alpha)
                - (r + data.frequency()[i]) * Math.log(alpha + data.T()[i]));
    }

    /** Zero for everyone: the scoring SQL then sets P(alive) = 1. */
    @Override
    public double[] aliveOdds(double[] params, double[] frequency) {
        return new double[frequency.length];
    }

    @Override
    public double[] probabilityAlive(double[] params, double[] frequency, double[] recency, double[] T) {
        double[] one = new double[frequency.length];
        java.util.Arrays.fill(one, 1);
        return one;
    }

    @Override
    public double[] expectedPurchases(double[] params, double t, double[] frequency, double[] recency, double[] T) {
        return expectedPurchasesIfAlive(params, t, frequency, T);
    }

    /** (r + x) / (α + T) · t: the posterior mean rate times t. */
    @Override
    public double[] expectedPurchasesIfAlive(double[] params, double t, double[] frequency, double[] T) {
        double r = params[0], alpha = params[1];
        return Rows.map(frequency.length, i -> t <= 0 ? 0 : (r + frequency[i]) / (alpha + T[i]) * t);
    }

    @Override
    public double[] probabilityOfPurchases(double[] params, int n, double t, double[] frequency, double[] recency, double[] T) {
        return probabilityOfPurchasesIfAlive(params, n, t, frequency, T);
    }

    @Override
    public double[] probabilityOfPurchasesIfAlive(double[] params, int n, double t, double[] frequency, double[] T) {
        double r = params[0], alpha = params[1];
        return Rows.map(frequency.length, i -> pmf(r + frequency[i], alpha + T[i], n, t));
    }

    @Override
    public double expectedPurchasesNewCustomer(double[] params, double t) {
        return t <= 0 ? 0 : params[0] / params[1] * t;
    }

    @Override
    public double probabilityOfPurchasesNewCustomer(double[] params, int n, double t) {
        return pmf(params[0], params[1], n, t);
    }

    /** Negative binomial P(X(t) = n) with shape r and rate α: Γ(r+n)/(Γ(r) n!) (α/(α+t))^r (t/(α+t))^n. */
    static double pmf(double r, double alpha, int n, double t) {
        if (n < 0) {
            return 0;
        }
        if (t <= 0) {
            return n == 0 ? 1 : 0;
        }
        return Math.exp(value(r + n) - value(r) - value(n + 1.0) + r * Math.log(alpha / (alpha + t)) + n * Math.log(t / (alpha + t)));
    }
}
