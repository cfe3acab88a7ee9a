package io.clvanalytics.engine.retention;

import io.clvanalytics.engine.CalculationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.commons.numbers.gamma.LogBeta;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.MaxIter;
import org.hipparchus.optim.PointValuePair;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.hipparchus.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/**
 * The shifted-beta-geometric (sBG) model of contractual retention (Fader &amp; Hardie 2007, "How to
 * Project Customer Retention", Journal of Interactive Marketing 21(1)): each customer renews every
 * period with a constant churn probability θ, and θ varies across customers as Beta(α, β).
 *
 * <p>Data in: the number of customers still active at the start of period 0, 1, ..., n (a
 * non-increasing sequence starting with the cohort size). Out: α and β by maximum likelihood
 * (customers lost in period t contribute P(T = t), the survivors at n contribute S(n)), from which
 * {@link Fit#survival(int)}, {@link Fit#retentionRate(int)} and {@link Fit#derl(double, int)} project.
 */
public final class ShiftedBetaGeometric {

    private static final int MAX_EVALUATIONS = 20_000;

    private ShiftedBetaGeometric() {}

    /**
     * Fits α and β to survivor counts {@code survivors[0..n]} (survivors[0] = cohort size).
     *
     * @throws CalculationException when the counts are unusable (fewer than two periods, increasing,
     *     nobody lost) or the optimizer does not converge to finite parameters
     */
    public static Fit fit(long[] survivors) {
        validate(survivors);
        long[] lost = new long[survivors.length];
        for (int t = 1; t < survivors.length; t++) {
            lost[t] = survivors[t - 1] - survivors[t];
        }
        long remaining = survivors[survivors.length - 1];
        // Optimize on log α, log β: both must stay positive and the likelihood is smoother there.
        ObjectiveFunction negLl = new ObjectiveFunction(x -> -logLikelihood(Math.exp(x[0]), Math.exp(x[1]), lost, remaining));
        SimplexOptimizer optimizer = new SimplexOptimizer(1e-14, 1e-14);
        PointValuePair best = null;
        int iterations = 0;
        // Restarting Nelder-Mead from its own optimum guards against a premature stop on a ridge.
        double[] start = {0.0, 0.0};
        for (int round = 0; round < 4; round++) {
            PointValuePair p = optimizer.optimize(new MaxEval(MAX_EVALUATIONS), new MaxIter(MAX_EVALUATIONS), negLl,
                    GoalType.MINIMIZE, new InitialGuess(start), new NelderMeadSimplex(new double[] {0.5, 0.5}));
            iterations += optimizer.getIterations();
            if (best != null && Math.abs(best.getValue() - p.getValue()) < 1e-12) {
                best = p.getValue() < best.getValue() ? p : best;
                break;
            }
            best = best == null || p.getValue() < best.getValue() ? p : best;
            start = best.getPoint();
        }
        double alpha = Math.exp(best.getPoint()[0]);
        double beta = Math.exp(best.getPoint()[1]);
        double ll = -best.getValue();
        if (!Double.isFinite(alpha) || !Double.isFinite(beta) || !Double.isFinite(ll) || alpha > 1e6 || beta > 1e6) {
            throw new CalculationException("sBG fit did not converge to finite parameters (the survivor counts may not"
                    + " show heterogeneous churn)", Map.of("alpha", alpha, "beta", beta, "logLikelihood", ll,
                    "survivors", Arrays.toString(survivors)));
        }
        return new Fit(alpha, beta, ll, survivors.length - 1, survivors[0], iterations);
    }

    private static void validate(long[] survivors) {
        if (survivors == null || survivors.length < 3) {
            throw new CalculationException("sBG needs survivor counts for period 0 and at least two more periods",
                    Map.of("periods", survivors == null ? 0 : survivors.length));
        }
        if (survivors[0] <= 0) {
            throw new CalculationException("sBG survivors[0] (the cohort size) must be positive",
                    Map.of("survivors[0]", survivors[0]));
        }
        for (int t = 1; t < survivors.length; t++) {
            if (survivors[t] < 0 || survivors[t] > survivors[t - 1]) {
                throw new CalculationException("sBG survivor counts must be non-negative and non-increasing; period "
                        + t + " has " + survivors[t] + " after " + survivors[t - 1],
                        Map.of("period", t, "survivors", Arrays.toString(survivors)));
            }
        }
        if (survivors[survivors.length - 1] == survivors[0]) {
            throw new CalculationException("sBG cannot be fitted when nobody was lost", Map.of("survivors", Arrays.toString(survivors)));
        }
    }

    /** Log-likelihood of lost-per-period counts and the final survivors under sBG(α, β). */
    static double logLikelihood(double alpha, double beta, long[] lost, long remaining) {
        double lnB = LogBeta.value(alpha, beta);
        double ll = 0;
        for (int t = 1; t < lost.length; t++) {
            if (lost[t] > 0) {
                // P(T = t) = B(α + 1, β + t − 1) / B(α, β)
                ll += lost[t] * (LogBeta.value(alpha + 1, beta + t - 1) - lnB);
            }
        }
        int n = lost.length - 1;
        if (remaining > 0) {
            // S(n) = B(α, β + n) / B(α, β)
            ll += remaining * (LogBeta.value(alpha, beta + n) - lnB);
        }
        return Double.isFinite(ll) ? ll : Double.NEGATIVE_INFINITY;
    }

    /**
     * A fitted sBG model.
     *
     * @param alpha α of the Beta mixing distribution of the churn probability
     * @param beta β of the Beta mixing distribution
     * @param logLikelihood the maximized log-likelihood
     * @param calibrationPeriods periods 1..n used for fitting
     * @param cohortSize survivors at period 0
     * @param iterations optimizer iterations
     */
    public record Fit(double alpha, double beta, double logLikelihood, int calibrationPeriods, long cohortSize,
                      int iterations) {

        /** Mean churn probability per period, α / (α + β). */
        public double meanChurn() {
            return alpha / (alpha + beta);
        }

        /** S(t): the share of the cohort still active after t periods; S(0) = 1. */
        public double survival(int t) {
            if (t < 0) {
                throw new IllegalArgumentException("period must be >= 0: " + t);
            }
            return Math.exp(LogBeta.value(alpha, beta + t) - LogBeta.value(alpha, beta));
        }

        /** r(t) = S(t) / S(t − 1) = (β + t − 1) / (α + β + t − 1), the retention rate of period t ≥ 1. */
        public double retentionRate(int t) {
            if (t < 1) {
                throw new IllegalArgumentException("retention rate is defined for periods >= 1: " + t);
            }
            return (beta + t - 1) / (alpha + beta + t - 1);
        }

        /** Expected survivors of the cohort for periods 0..{@code lastPeriod}. */
        public List<Double> projectSurvivors(int lastPeriod) {
            List<Double> out = new ArrayList<>(lastPeriod + 1);
            for (int t = 0; t <= lastPeriod; t++) {
                out.add(cohortSize * survival(t));
            }
            return out;
        }

        /**
         * Discounted expected residual lifetime of a customer who has made {@code renewals} renewals
         * (is active after period {@code renewals}), counted in payments with the next payment
         * undiscounted (Fader &amp; Hardie 2010, "Customer-Base Valuation in a Contractual Setting: The
         * Perils of Ignoring Heterogeneity", Marketing Science 29(1), eq. 6):
         * DERL = (β + n − 1)/(α + β + n − 1) · ₂F₁(1, β + n; α + β + n; 1/(1 + d)) with n − 1 = renewals.
         * The hypergeometric series is summed directly (no maintained Java library ships ₂F₁);
         * its terms shrink at least geometrically with ratio 1/(1 + d).
         *
         * @param discountRate per-period discount rate d &gt; 0
         */
        public double derl(double discountRate, int renewals) {
            if (!(discountRate > 0)) {
                throw new IllegalArgumentException("discount rate must be > 0 (DERL diverges without discounting): " + discountRate);
            }
            if (renewals < 0) {
                throw new IllegalArgumentException("renewals must be >= 0: " + renewals);
            }
            int n = renewals + 1;
            double a = beta + n;
            double c = alpha + beta + n;
            double z = 1.0 / (1.0 + discountRate);
            double term = 1.0;
            double sum = 1.0;
            for (int k = 0; k < 1_000_000; k++) {
                term *= (a + k) / (c + k) * z;
                sum += term;
                if (term < 1e-15 * sum) {
                    return (beta + n - 1) / (alpha + beta + n - 1) * sum;
                }
            }
            throw new CalculationException("DERL series did not converge", Map.of("alpha", alpha, "beta", beta,
                    "discountRate", discountRate, "renewals", renewals));
        }
    }
}
