package io.clvanalytics.engine.clv;

import static org.apache.commons.numbers.gamma.LogGamma.value;

import io.clvanalytics.engine.CalculationException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.commons.numbers.gamma.Digamma;
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
        Likelihood full = new Likelihood(data);
        return MaximumLikelihood.fit(NAME, PARAMETERS, full::total, data.customers(), data.size(), penalizer,
                List.of(new double[] {1, 1, 1, 1}, new double[] {0.5, scale, 0.5, scale}, new double[] {0.1, 0.1 * scale, 1, 2 * scale}));
    }

    @Override
    public double[] logLikelihood(double[] params, RfmData data) {
        Likelihood.Point at = new Likelihood(data).new Point(params);
        return Rows.map(data.size(), i -> at.row(i, 1, new double[5]) + at.constant);
    }

    /**
     * The log-likelihood (FHL note, eq. 2 with A_0 in 2F1) and its analytic gradient over the rows of
     * one data set. A_0 is a difference of two terms, one depending on (x, t_x), the other on (x, T):
     * each is computed once per distinct pair (far fewer than rows), and the frequency-only log-gamma
     * and digamma terms once per distinct frequency.
     */
    private static final class Likelihood {
        final RfmData data;
        final Models.Frequencies f;
        /** Distinct (x, t) pairs for the t_x term and the T term, and each row's pair. */
        final Pairs atRecency;
        final Pairs atT;

        Likelihood(RfmData data) {
            this.data = data;
            this.f = Models.Frequencies.of(data.frequency());
            this.atRecency = new Pairs(f.x(), data.recency());
            this.atT = new Pairs(f.x(), data.T());
        }

        /** Distinct (frequency, time) pairs of the rows. */
        static final class Pairs {
            final int[] x;
            final double[] t;
            final int[] ofRow;

            Pairs(int[] rowX, double[] rowT) {
                Map<Pair, Integer> index = new HashMap<>();
                ofRow = new int[rowX.length];
                for (int i = 0; i < rowX.length; i++) {
                    ofRow[i] = index.computeIfAbsent(new Pair(rowX[i], rowT[i]), k -> index.size());
                }
                x = new int[index.size()];
                t = new double[index.size()];
                index.forEach((p, j) -> {
                    x[j] = p.x();
                    t[j] = p.t();
                });
            }

            private record Pair(int x, double t) {}
        }

        double total(double[] params, double[] gradient) {
            Point at = new Point(params);
            double[] w = data.weight();
            double[] sums = Rows.sums(data.size(), 5, (i, acc) -> at.row(i, w[i], acc));
            double customers = data.customers();
            if (gradient != null) {
                double r = params[0], alpha = params[1], s = params[2], beta = params[3];
                gradient[0] = sums[1] + customers * (-Digamma.value(r) + Math.log(alpha));
                gradient[1] = sums[2] + customers * r / alpha;
                gradient[2] = sums[3] + customers * Math.log(beta);
                gradient[3] = sums[4] + customers * s / beta;
            }
            return sums[0] + customers * at.constant;
        }

        /** Terms at one parameter point. */
        final class Point {
            final double r, alpha, s, beta, constant, logS;
            final double[] logGamma, digamma, logRsx;
            /** [value, ∂r, ∂α, ∂s, ∂β] of the t_x and the T term of A_0 per pair. */
            final double[][] first, second;

            Point(double[] params) {
                r = params[0];
                alpha = params[1];
                s = params[2];
                beta = params[3];
                constant = -value(r) + r * Math.log(alpha) + s * Math.log(beta);
                logS = Math.log(s);
                logGamma = new double[f.max() + 1];
                digamma = new double[f.max() + 1];
                logRsx = new double[f.max() + 1];
                for (int v : f.distinct()) {
                    logGamma[v] = value(r + v);
                    digamma[v] = Digamma.value(r + v);
                    logRsx[v] = Math.log(r + s + v);
                }
                first = terms(atRecency, true);
                second = terms(atT, false);
            }

            private double[][] terms(Pairs pairs, boolean checkArgument) {
                double[][] out = new double[5][pairs.x.length];
                IntStream range = IntStream.range(0, pairs.x.length);
                (pairs.x.length > 512 ? range.parallel() : range).forEach(j -> term(pairs.x[j], pairs.t[j], checkArgument, out, j));
                return out;
            }

            /**
             * One term of A_0: log 2F1(r+s+x, b; r+s+x+1; |α−β|/(m+t)) − (r+s+x) ln(m+t) with m = max(α, β)
             * and b = s+1 when α ≥ β, else r+x (the branch keeps the argument in [0, 1)), and its
             * derivatives through a = r+s+x (c moving with it), b, z and m + t.
             */
            private void term(int x, double t, boolean checkArgument, double[][] out, int j) {
                boolean alphaLarger = alpha >= beta;
                double rsx = r + s + x;
                double q = (alphaLarger ? alpha : beta) + t;
                double z = Math.abs(alpha - beta) / q;
                if (checkArgument && z > LIKELIHOOD_MAX_Z) {
                    throw new CalculationException("pnbd likelihood: 2F1 argument " + z + " too close to 1",
                            Map.of("alpha", alpha, "beta", beta));
                }
                double[] d = new double[3];
                double logQ = Math.log(q);
                out[0][j] = Hypergeometric.log2F1ShiftedC(rsx, alphaLarger ? s + 1 : r + x, z, LIKELIHOOD_TERMS, d) - rsx * logQ;
                out[1][j] = d[0] + (alphaLarger ? 0 : d[1]) - logQ;
                out[3][j] = d[0] + (alphaLarger ? d[1] : 0) - logQ;
                double along = d[2] * (alphaLarger ? beta + t : alpha + t) / (q * q) - rsx / q;
                double across = -d[2] / q;
                out[2][j] = alphaLarger ? along : across;
                out[4][j] = alphaLarger ? across : along;
            }

            /**
             * Adds w × (row i's log-likelihood without the constant) to acc[0] and w × its
             * derivatives in r, α, s, β (without the constant's) to acc[1..4]; returns the unweighted value.
             */
            double row(int i, double w, double[] acc) {
                int xi = f.x()[i];
                double tx = data.recency()[i], T = data.T()[i];
                double rx = r + xi;
                double logAT = Math.log(alpha + T);
                double logBT = Math.log(beta + T);
                double alive = -rx * logAT - s * logBT;
                double gr = -logAT, ga = -rx / (alpha + T), gs = -logBT, gb = -s / (beta + T);
                double ll = alive;
                if (tx < T) {
                    int j1 = atRecency.ofRow[i];
                    int j2 = atT.ofRow[i];
                    double term1 = first[0][j1];
                    double term2 = second[0][j2];
                    if (!(term2 < term1)) {
                        return Double.NEGATIVE_INFINITY;
                    }
                    double e = Math.exp(term2 - term1);
                    double w1 = 1 / (1 - e);
                    double w2 = 1 - w1;
                    double dead = logS + term1 + Math.log1p(-e) - logRsx[xi];
                    ll = Models.logAddExp(alive, dead);
                    double pAlive = Math.exp(alive - ll);
                    double pDead = 1 - pAlive;
                    double invRsx = 1 / (r + s + xi);
                    gr = pAlive * gr + pDead * (-invRsx + w1 * first[1][j1] + w2 * second[1][j2]);
                    ga = pAlive * ga + pDead * (w1 * first[2][j1] + w2 * second[2][j2]);
                    gs = pAlive * gs + pDead * (1 / s - invRsx + w1 * first[3][j1] + w2 * second[3][j2]);
                    gb = pAlive * gb + pDead * (w1 * first[4][j1] + w2 * second[4][j2]);
                }
                double value = logGamma[xi] + ll;
                acc[0] += w * value;
                acc[1] += w * (digamma[xi] + gr);
                acc[2] += w * ga;
                acc[3] += w * gs;
                acc[4] += w * gb;
                return value;
            }
        }
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
        double[] ignored = new double[3];
        double term1 = Hypergeometric.log2F1ShiftedC(rsx, second, diff / q1, Hypergeometric.MAX_TERMS, ignored) - rsx * Math.log(q1);
        double term2 = Hypergeometric.log2F1ShiftedC(rsx, second, diff / q2, Hypergeometric.MAX_TERMS, ignored) - rsx * Math.log(q2);
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
        double[] alive = probabilityAlive(params, x, tx, T);
        double[] ifAlive = expectedPurchasesIfAlive(params, t, x, T);
        return Rows.map(x.length, i -> alive[i] * ifAlive[i]);
    }

    @Override
    public double[] expectedPurchasesIfAlive(double[] params, double t, double[] x, double[] T) {
        double r = params[0], alpha = params[1], s = params[2], beta = params[3];
        return Rows.map(x.length, i -> future(r + x[i], alpha + T[i], s, beta + T[i], t));
    }

    @Override
    public double[] probabilityOfPurchases(double[] params, int n, double t, double[] x, double[] tx, double[] T) {
        double[] alive = probabilityAlive(params, x, tx, T);
        double[] ifAlive = probabilityOfPurchasesIfAlive(params, n, t, x, T);
        return Rows.map(x.length, i -> (n == 0 ? 1 - alive[i] : 0) + alive[i] * ifAlive[i]);
    }

    @Override
    public double[] probabilityOfPurchasesIfAlive(double[] params, int n, double t, double[] x, double[] T) {
        double r = params[0], alpha = params[1], s = params[2], beta = params[3];
        return Rows.map(x.length, i -> pmf(r + x[i], alpha + T[i], s, beta + T[i], n, t));
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
