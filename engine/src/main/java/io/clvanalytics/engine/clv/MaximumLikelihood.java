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
 * Maximum-likelihood estimation shared by every model: optimises in log-parameters (so every
 * parameter stays positive), from several starting points with Hipparchus' Nelder-Mead, then
 * polishes with Newton steps on a finite-difference Hessian until the gradient vanishes. The
 * inverse Hessian gives standard errors and 95 % intervals.
 *
 * <p>The objective is lifetimes' one: {@code -LL / customers + penalizer * Σ θ²}. A result is
 * returned only when the gradient is (numerically) zero, the Hessian is positive definite and no
 * parameter sits at its bound; otherwise {@link CalculationException} names the reason.
 */
final class MaximumLikelihood {

    /** Total weighted log-likelihood at natural (positive) parameters; non-finite when impossible. */
    @FunctionalInterface
    interface LogLikelihood {
        double at(double[] params);
    }

    static final double LOG_LOWER = Math.log(1e-8);
    static final double LOG_UPPER = Math.log(1e8);
    private static final int MAX_EVAL_PER_START = 2000;
    private static final int NEWTON_STEPS = 30;
    private static final double HESSIAN_STEP = 1e-3;
    private static final double GRADIENT_STEP = 1e-5;

    private final String model;
    private final List<String> names;
    private final LogLikelihood ll;
    private final double customers;
    private final double penalizer;
    private int evaluations;
    private double bestValue = Double.POSITIVE_INFINITY;
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
     * As {@link #fit(String, List, LogLikelihood, double, int, double, List)}, with Nelder-Mead run on
     * {@code coarse} (the likelihood of a systematic subsample of the rows, reweighted to the same
     * total) and the Newton polish on the full likelihood: on hundreds of thousands of rows the
     * simplex search then costs little and two or three Newton steps finish the job exactly.
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
        if (coarse != ll) {
            MaximumLikelihood rough = new MaximumLikelihood(model, names, coarse, customers, penalizer);
            rough.search(starts);
            if (rough.bestPoint != null) {
                full.evaluations = rough.evaluations;
                return full.polish(rows, List.of(Arrays.stream(rough.bestPoint).map(Math::exp).toArray()), false);
            }
        }
        return full.polish(rows, starts, true);
    }

    /** Penalised negative log-likelihood per customer, at log-parameters u. */
    private double objective(double[] u) {
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
            value = ll.at(theta);
        } catch (CalculationException numericallyOutOfReach) {
            // e.g. a hypergeometric series that cannot converge at these extreme parameters.
            return Double.MAX_VALUE;
        }
        if (!Double.isFinite(value)) {
            return Double.MAX_VALUE;
        }
        double f = -value / customers + penalizer * penalty;
        if (f < bestValue) {
            bestValue = f;
            bestPoint = u.clone();
        }
        return f;
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

    private FitResult polish(int rows, List<double[]> starts, boolean searchFirst) {
        if (searchFirst) {
            search(starts);
        } else {
            objective(Arrays.stream(starts.get(0)).map(Math::log).toArray());
        }
        if (bestPoint == null) {
            throw new CalculationException(model + ": the likelihood is not finite at any starting point",
                    Map.of("starts", starts.stream().map(Arrays::toString).toList()));
        }
        double[] u = bestPoint.clone();
        double[] g = gradient(u);
        for (int step = 0; step < NEWTON_STEPS && !small(g); step++) {
            double[] next = newtonStep(u, g);
            if (next == null) {
                break;
            }
            u = next;
            g = gradient(u);
        }
        if (!acceptable(g) && !searchFirst) {
            // The subsample's optimum was too far off for Newton: search on the full likelihood.
            search(List.of(Arrays.stream(u).map(Math::exp).toArray()));
            u = bestPoint.clone();
            g = gradient(u);
            for (int step = 0; step < NEWTON_STEPS && !small(g); step++) {
                double[] next = newtonStep(u, g);
                if (next == null) {
                    break;
                }
                u = next;
                g = gradient(u);
            }
        }
        double f = objective(u);
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
        double logLikelihood = ll.at(theta);
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
            optimizer.optimize(new MaxEval(MAX_EVAL_PER_START), new ObjectiveFunction(this::objective),
                    GoalType.MINIMIZE, new InitialGuess(u), new NelderMeadSimplex(steps));
        } catch (MathIllegalStateException tooManyEvaluations) {
            // Keep the best point seen; the Newton polish and the gradient test decide convergence.
        }
    }

    /** Gradient of the per-customer objective times customers (so tolerances are in log-likelihood units). */
    private double[] gradient(double[] u) {
        double[] g = new double[u.length];
        for (int i = 0; i < u.length; i++) {
            double[] up = u.clone();
            double[] down = u.clone();
            up[i] += GRADIENT_STEP;
            down[i] -= GRADIENT_STEP;
            g[i] = (objective(up) - objective(down)) / (2 * GRADIENT_STEP) * customers;
        }
        return g;
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

    /** Hessian of the objective times customers, in log-parameters. */
    private RealMatrix hessian(double[] u) {
        int k = u.length;
        double h = HESSIAN_STEP;
        double f0 = objective(u);
        RealMatrix m = new Array2DRowRealMatrix(k, k);
        for (int i = 0; i < k; i++) {
            double[] p = u.clone();
            double[] q = u.clone();
            p[i] += h;
            q[i] -= h;
            m.setEntry(i, i, (objective(p) - 2 * f0 + objective(q)) / (h * h) * customers);
            for (int j = 0; j < i; j++) {
                double[] pp = u.clone();
                double[] pm = u.clone();
                double[] mp = u.clone();
                double[] mm = u.clone();
                pp[i] += h; pp[j] += h;
                pm[i] += h; pm[j] -= h;
                mp[i] -= h; mp[j] += h;
                mm[i] -= h; mm[j] -= h;
                double v = (objective(pp) - objective(pm) - objective(mp) + objective(mm)) / (4 * h * h) * customers;
                m.setEntry(i, j, v);
                m.setEntry(j, i, v);
            }
        }
        return m;
    }

    /** A damped Newton step from u, or null when the Hessian is not positive definite or no step helps. */
    private double[] newtonStep(double[] u, double[] g) {
        RealMatrix inverse;
        try {
            inverse = new CholeskyDecomposition(hessian(u), 1e-12, 1e-14).getSolver().getInverse();
        } catch (MathIllegalArgumentException notPositiveDefinite) {
            return null;
        }
        double[] direction = inverse.operate(g);
        double f0 = objective(u);
        double scale = 1;
        for (int tries = 0; tries < 20; tries++, scale /= 2) {
            double[] next = u.clone();
            for (int i = 0; i < u.length; i++) {
                next[i] -= scale * direction[i];
            }
            if (objective(next) <= f0) {
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
        return new CalculationException(model + " fit " + reason, values);
    }
}
