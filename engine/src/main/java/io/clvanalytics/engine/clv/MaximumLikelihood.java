package io.clvanalytics.engine.clv;

import io.clvanalytics.engine.CalculationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hipparchus.exception.MathIllegalArgumentException;
import org.hipparchus.exception.MathIllegalStateException;
import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.hipparchus.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/**
 * Maximum-likelihood estimation shared by every model. It optimises in log-parameters (so every
 * parameter stays positive) with BFGS on the model's analytic gradient from the best of the
 * starting points, then polishes with Newton steps on a Hessian taken by forward differences of
 * that gradient until the gradient vanishes; the inverse of that Hessian gives standard errors and
 * 95 % intervals. Should BFGS fail (a pathological start), Hipparchus' derivative-free Nelder-Mead
 * searches from every start before the same Newton polish.
 *
 * <p>The objective is lifetimes' one: {@code -LL / customers + penalizer * Σ θ²}. A result is
 * returned only when the gradient is (numerically) zero, the Hessian is positive definite and no
 * parameter sits at its bound; otherwise {@link CalculationException} names the reason.
 */
final class MaximumLikelihood {

    /**
     * Total weighted log-likelihood at natural (positive) parameters, non-finite where impossible;
     * when {@code gradient} is not null it also receives ∂LL/∂θ_k for every parameter.
     */
    @FunctionalInterface
    interface LogLikelihood {
        double at(double[] params, double[] gradient);
    }

    /** The key of a failure's {@link CalculationException#values()} holding the log-likelihood at the point judged. */
    static final String LOG_LIKELIHOOD = "log_likelihood";
    static final double LOG_LOWER = Math.log(1e-8);
    static final double LOG_UPPER = Math.log(1e8);
    private static final int MAX_EVAL_PER_START = 2000;
    private static final int BFGS_ITERATIONS = 300;
    /** Largest change of a log-parameter in one BFGS step: keeps the search out of absurd regions. */
    private static final double MAX_STEP = 2;
    private static final int NEWTON_STEPS = 30;
    private static final double HESSIAN_STEP = 1e-5;

    private final String model;
    private final List<String> names;
    private final LogLikelihood ll;
    private final double customers;
    private final double penalizer;
    private int evaluations;
    /** The log-likelihood at the point {@link #objective} evaluated last. */
    private double lastLogLikelihood = Double.NaN;
    private double bestValue = Double.POSITIVE_INFINITY;
    /** The log-likelihood at the point {@link #result} judges, reported with a failure there. */
    private double resultLogLikelihood = Double.NaN;
    /** The last evaluation {@link #objective} made, remembered. */
    private Evaluation last;

    /** An objective value at log-parameters {@code point}, its gradient (null when not asked for) and log-likelihood. */
    private record Evaluation(double[] point, double value, double[] gradient, double logLikelihood) {}
    private double[] bestPoint;

    private MaximumLikelihood(String model, List<String> names, LogLikelihood ll, double customers, double penalizer) {
        this.model = model;
        this.names = names;
        this.ll = ll;
        this.customers = customers;
        this.penalizer = penalizer;
    }

    static FitResult fit(String model, List<String> names, LogLikelihood ll, double customers, int rows,
            double penalizer, List<double[]> starts) {
        return fit(model, names, ll, ll, customers, rows, penalizer, starts);
    }

    /**
     * As {@link #fit(String, List, LogLikelihood, double, int, double, List)}, with a first BFGS run on
     * {@code coarse} (the likelihood of a systematic subsample of the rows, reweighted to the same
     * total) whose optimum starts the search on the full likelihood: on hundreds of thousands of rows
     * the full likelihood is then evaluated only for the last few steps. The result is always the
     * optimum of the full likelihood.
     */
    static FitResult fit(String model, List<String> names, LogLikelihood ll, LogLikelihood coarse, double customers, int rows,
            double penalizer, List<double[]> starts) {
        if (!(penalizer >= 0) || !Double.isFinite(penalizer)) {
            throw new IllegalArgumentException("penalizer must be >= 0 (" + penalizer + ")");
        }
        if (!(customers > 0)) {
            throw new CalculationException(model + ": no customers to fit on", Map.of("customers", customers));
        }
        MaximumLikelihood full = new MaximumLikelihood(model, names, ll, customers, penalizer);
        double[] roughOptimum = null;
        if (coarse != ll) {
            MaximumLikelihood rough = new MaximumLikelihood(model, names, coarse, customers, penalizer);
            roughOptimum = rough.bfgs(rough.orderedStarts(starts));
            full.evaluations = rough.evaluations;
        }
        return full.solve(rows, roughOptimum, starts);
    }

    /** Penalised negative log-likelihood per customer at log-parameters u; its gradient in {@code grad} when not null. */
    private double objective(double[] u, double[] grad) {
        // Newton and the final checks ask again for the point just evaluated; on a million customers
        // each evaluation costs tens of milliseconds, so the last one is remembered.
        if (last != null && Arrays.equals(u, last.point()) && (grad == null || last.gradient() != null)) {
            if (grad != null) {
                System.arraycopy(last.gradient(), 0, grad, 0, grad.length);
            }
            lastLogLikelihood = last.logLikelihood();
            return last.value();
        }
        double f = evaluate(u, grad);
        last = new Evaluation(u.clone(), f, grad == null ? null : grad.clone(), lastLogLikelihood);
        return f;
    }

    private double evaluate(double[] u, double[] grad) {
        evaluations++;
        double penalty = 0;
        double[] theta = new double[u.length];
        for (int i = 0; i < u.length; i++) {
            if (!(u[i] >= LOG_LOWER && u[i] <= LOG_UPPER)) {
                return Double.MAX_VALUE;
            }
            theta[i] = Math.exp(u[i]);
            penalty += theta[i] * theta[i];
        }
        double value;
        try {
            value = ll.at(theta, grad);
            lastLogLikelihood = value;
        } catch (CalculationException numericallyOutOfReach) {
            // e.g. a hypergeometric series that cannot converge at these extreme parameters.
            return Double.MAX_VALUE;
        }
        if (!Double.isFinite(value)) {
            return Double.MAX_VALUE;
        }
        if (grad != null) {
            for (int i = 0; i < u.length; i++) {
                // d/du = θ d/dθ on the log scale.
                grad[i] = -grad[i] * theta[i] / customers + 2 * penalizer * theta[i] * theta[i];
                if (!Double.isFinite(grad[i])) {
                    return Double.MAX_VALUE;
                }
            }
        }
        double f = -value / customers + penalty * penalizer;
        if (f < bestValue) {
            bestValue = f;
            bestPoint = u.clone();
        }
        return f;
    }

    private double objective(double[] u) {
        return objective(u, null);
    }

    /** The starting points in log-parameters, best objective first; those where it is not finite dropped. */
    private List<double[]> orderedStarts(List<double[]> starts) {
        List<double[]> us = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (double[] start : starts) {
            double[] u = Arrays.stream(start).map(Math::log).toArray();
            double f = objective(u);
            if (f < Double.MAX_VALUE) {
                int at = 0;
                while (at < values.size() && values.get(at) <= f) {
                    at++;
                }
                us.add(at, u);
                values.add(at, f);
            }
        }
        return us;
    }

    /**
     * BFGS from each start in turn until one reaches an acceptable gradient; returns that point, or
     * null when none does.
     */
    private double[] bfgs(List<double[]> starts) {
        for (double[] start : starts) {
            double[] u = bfgsFrom(start);
            if (u != null) {
                return u;
            }
        }
        return null;
    }

    private double[] bfgsFrom(double[] start) {
        int k = start.length;
        double[] u = start.clone();
        double[] g = new double[k];
        double f = objective(u, g);
        if (f == Double.MAX_VALUE) {
            return null;
        }
        double[][] h = identity(k, 1 / Math.max(1, norm(g)));
        for (int iteration = 0; iteration < BFGS_ITERATIONS; iteration++) {
            if (closeEnough(scaled(g))) {
                return u;
            }
            double[] d = times(h, g);
            double slope = 0;
            for (int i = 0; i < k; i++) {
                d[i] = -d[i];
                slope += d[i] * g[i];
            }
            if (!(slope < 0)) {
                // Lost curvature information: restart from steepest descent.
                h = identity(k, 1 / Math.max(1, norm(g)));
                d = times(h, g);
                slope = 0;
                for (int i = 0; i < k; i++) {
                    d[i] = -d[i];
                    slope += d[i] * g[i];
                }
            }
            double longest = 0;
            for (double v : d) {
                longest = Math.max(longest, Math.abs(v));
            }
            double t = longest > MAX_STEP ? MAX_STEP / longest : 1;
            double[] next = null;
            double[] gNext = new double[k];
            double fNext = f;
            for (int tries = 0; tries < 40; tries++, t /= 2) {
                double[] trial = new double[k];
                for (int i = 0; i < k; i++) {
                    trial[i] = u[i] + t * d[i];
                }
                double ft = objective(trial, gNext);
                // A strict decrease: near the optimum the Armijo margin rounds away, and BFGS would
                // then "step" in place; there the Newton polish, which needs no decrease, takes over.
                if (ft < f && ft <= f + 1e-4 * t * slope) {
                    next = trial;
                    fNext = ft;
                    break;
                }
            }
            if (next == null) {
                // No decrease along the search direction: at the optimum up to rounding, or stuck.
                return acceptable(scaled(g)) ? u : null;
            }
            double[] s = new double[k];
            double[] y = new double[k];
            double sy = 0;
            for (int i = 0; i < k; i++) {
                s[i] = next[i] - u[i];
                y[i] = gNext[i] - g[i];
                sy += s[i] * y[i];
            }
            if (sy > 1e-300) {
                h = bfgsUpdate(h, s, y, sy);
            }
            u = next;
            g = gNext;
            f = fNext;
        }
        return acceptable(scaled(g)) ? u : null;
    }

    private static double[][] bfgsUpdate(double[][] h, double[] s, double[] y, double sy) {
        int k = s.length;
        double rho = 1 / sy;
        double[] hy = times(h, y);
        double yhy = 0;
        for (int i = 0; i < k; i++) {
            yhy += y[i] * hy[i];
        }
        double[][] out = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                out[i][j] = h[i][j] - rho * (hy[i] * s[j] + s[i] * hy[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
            }
        }
        return out;
    }

    private static double[][] identity(int k, double scale) {
        double[][] m = new double[k][k];
        for (int i = 0; i < k; i++) {
            m[i][i] = scale;
        }
        return m;
    }

    private static double[] times(double[][] m, double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            for (int j = 0; j < v.length; j++) {
                out[i] += m[i][j] * v[j];
            }
        }
        return out;
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    /** A per-customer gradient times customers, the units the tolerances are in (log-likelihood units). */
    private double[] scaled(double[] g) {
        return Arrays.stream(g).map(v -> v * customers).toArray();
    }

    /** Gradient of the objective times customers at u. */
    private double[] gradient(double[] u) {
        double[] g = new double[u.length];
        if (objective(u, g) == Double.MAX_VALUE) {
            Arrays.fill(g, Double.NaN);
        }
        return scaled(g);
    }

    /** Nelder-Mead from every start, then once more from the best point found. */
    private void search(List<double[]> starts) {
        for (double[] start : starts) {
            double[] u = Arrays.stream(start).map(Math::log).toArray();
            nelderMead(u);
        }
        if (bestPoint != null) {
            // A restart from the best point escapes Nelder-Mead's occasional collapsed simplex.
            nelderMead(bestPoint.clone());
        }
    }

    /**
     * Newton steps until the gradient is small. The Hessian is taken once and kept while its steps
     * make progress (near the optimum it barely changes), and taken afresh at the current point
     * when a step fails.
     */
    private double[] newton(double[] start) {
        double[] u = start;
        double[] g = gradient(u);
        RealMatrix inverse = null;
        boolean fresh = false;
        for (int step = 0; step < NEWTON_STEPS && !small(g); step++) {
            if (inverse == null) {
                inverse = inverseHessian(u);
                fresh = true;
                if (inverse == null) {
                    break;
                }
            }
            double[] next = newtonStep(u, g, inverse);
            if (next == null) {
                if (fresh) {
                    break;
                }
                inverse = null;
                continue;
            }
            fresh = false;
            u = next;
            g = gradient(u);
        }
        return u;
    }

    /** Newton from the subsample's optimum {@code first} (log-parameters, may be null); failing that a full search. */
    private FitResult solve(int rows, double[] first, List<double[]> starts) {
        // The subsample's optimum is usually within Newton's reach on all rows: a handful of
        // evaluations instead of a BFGS run that first has to learn the curvature again.
        double[] u = first == null ? null : newton(first);
        if (u == null || !small(gradient(u))) {
            u = searchFrom(first, starts);
        }
        return result(rows, u);
    }

    /** BFGS from {@code first} (may be null), else from the starts, else Nelder-Mead; then Newton. */
    private double[] searchFrom(double[] first, List<double[]> starts) {
        double[] found = first == null ? null : bfgsFrom(first);
        if (found == null) {
            found = bfgs(orderedStarts(starts));
        }
        double[] u;
        if (found != null) {
            u = newton(found);
        } else {
            search(starts);
            if (bestPoint == null) {
                throw new CalculationException(model + ": the likelihood is not finite at any starting point",
                        Map.of("starts", starts.stream().map(Arrays::toString).toList()));
            }
            u = newton(bestPoint.clone());
        }
        return u;
    }

    /** The fit at u, or {@link CalculationException} when u is not a proper, interior maximum. */
    private FitResult result(int rows, double[] u) {
        double[] g = new double[u.length];
        double f = objective(u, g);
        double logLikelihood = lastLogLikelihood;
        resultLogLikelihood = f == Double.MAX_VALUE ? Double.NaN : logLikelihood;
        g = f == Double.MAX_VALUE ? new double[] {Double.NaN} : scaled(g);
        double[] theta = Arrays.stream(u).map(Math::exp).toArray();
        if (!acceptable(g)) {
            throw failure("did not converge: the gradient of the log-likelihood is not zero at the best point found", theta, g);
        }
        for (int i = 0; i < u.length; i++) {
            if (u[i] < LOG_LOWER + 1 || u[i] > LOG_UPPER - 1) {
                throw failure("parameter " + names.get(i) + " = " + theta[i]
                        + " ran to its bound: the data do not identify the model (too few customers or repeat purchases?)", theta, g);
            }
        }
        RealMatrix covariance = invert(hessian(u), theta, g);
        List<FitResult.Parameter> params = new ArrayList<>();
        for (int i = 0; i < theta.length; i++) {
            double seLog = Math.sqrt(covariance.getEntry(i, i) / customers);
            if (!(seLog < 20)) {
                throw failure("left parameter " + names.get(i) + " unidentified: its standard error is "
                        + theta[i] * seLog + " (the likelihood is flat in it: too little data?)", theta, g);
            }
            params.add(new FitResult.Parameter(names.get(i), theta[i], theta[i] * seLog,
                    theta[i] * Math.exp(-1.96 * seLog), theta[i] * Math.exp(1.96 * seLog)));
        }
        if (!Double.isFinite(logLikelihood) || !Double.isFinite(f)) {
            throw failure("the log-likelihood is not finite at the estimate", theta, g);
        }
        return new FitResult(model, params, logLikelihood, evaluations, true, penalizer, Math.round(customers), rows);
    }

    private void nelderMead(double[] u) {
        double[] steps = new double[u.length];
        Arrays.fill(steps, 0.5);
        SimplexOptimizer optimizer = new SimplexOptimizer(1e-10, 1e-13);
        try {
            optimizer.optimize(new MaxEval(MAX_EVAL_PER_START), new ObjectiveFunction(u1 -> objective(u1)),
                    GoalType.MINIMIZE, new InitialGuess(u), new NelderMeadSimplex(steps));
        } catch (MathIllegalStateException tooManyEvaluations) {
            // Keep the best point seen; the Newton polish and the gradient test decide convergence.
        }
    }

    /** Where BFGS hands over to Newton, whose steps on the exact Hessian converge quadratically from here. */
    private boolean closeEnough(double[] g) {
        return below(g, 1e-3 * Math.max(1, Math.sqrt(customers)));
    }

    /** Newton keeps going to this gradient (it converges quadratically, so it gets there or stalls). */
    private boolean small(double[] g) {
        return below(g, 1e-7 * Math.max(1, Math.sqrt(customers)));
    }

    /** The gradient a result must reach to count as converged. */
    private boolean acceptable(double[] g) {
        return below(g, 1e-2 * Math.max(1, Math.sqrt(customers)));
    }

    private static boolean below(double[] g, double tolerance) {
        for (double v : g) {
            if (!(Math.abs(v) <= tolerance)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Hessian of the objective times customers, in log-parameters: forward differences of the
     * analytic gradient, symmetrised. k + 1 gradients (the one at u is usually the last evaluation,
     * remembered) instead of central differences' 2k: on a million customers each costs tens of
     * milliseconds, and the O(h) error, about 1e-5 relative, is far below what standard errors need.
     */
    private RealMatrix hessian(double[] u) {
        int k = u.length;
        double h = HESSIAN_STEP;
        double[] g0 = gradient(u);
        double[][] columns = new double[k][];
        for (int j = 0; j < k; j++) {
            double[] p = u.clone();
            p[j] += h;
            double[] gp = gradient(p);
            columns[j] = new double[k];
            for (int i = 0; i < k; i++) {
                columns[j][i] = (gp[i] - g0[i]) / h;
            }
        }
        RealMatrix m = new Array2DRowRealMatrix(k, k);
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                m.setEntry(i, j, (columns[j][i] + columns[i][j]) / 2);
            }
        }
        return m;
    }

    /** Inverse of the Hessian at u, or null when it is not positive definite. */
    private RealMatrix inverseHessian(double[] u) {
        try {
            return new CholeskyDecomposition(hessian(u), 1e-12, 1e-14).getSolver().getInverse();
        } catch (MathIllegalArgumentException notPositiveDefinite) {
            return null;
        }
    }

    /** A damped Newton step from u with the given inverse Hessian, or null when no step helps. */
    private double[] newtonStep(double[] u, double[] g, RealMatrix inverse) {
        double[] direction = inverse.operate(g);
        double f0 = objective(u);
        double scale = 1;
        for (int tries = 0; tries < 20; tries++, scale /= 2) {
            double[] next = u.clone();
            for (int i = 0; i < u.length; i++) {
                next[i] -= scale * direction[i];
            }
            // With its gradient: the next Newton iteration asks for it at this point.
            if (objective(next, new double[u.length]) <= f0) {
                return next;
            }
        }
        return null;
    }

    /** Covariance of the log-parameters times customers (inverse of the per-customer Hessian). */
    private RealMatrix invert(RealMatrix hessianTimesCustomers, double[] theta, double[] g) {
        try {
            return new CholeskyDecomposition(hessianTimesCustomers.scalarMultiply(1 / customers), 1e-12, 1e-14)
                    .getSolver().getInverse();
        } catch (MathIllegalArgumentException e) {
            throw failure("the Hessian is not positive definite at the estimate, so it is not a proper maximum"
                    + " (standard errors undefined)", theta, g);
        }
    }

    private CalculationException failure(String reason, double[] theta, double[] g) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < theta.length; i++) {
            values.put(names.get(i), theta[i]);
        }
        values.put("gradient", Arrays.toString(g));
        values.put("evaluations", evaluations);
        values.put("customers", customers);
        if (Double.isFinite(resultLogLikelihood)) {
            values.put(LOG_LIKELIHOOD, resultLogLikelihood);
        }
        return new CalculationException(model + " fit " + reason, values);
    }
}
