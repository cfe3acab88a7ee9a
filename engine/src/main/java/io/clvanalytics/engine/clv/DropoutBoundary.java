package io.clvanalytics.engine.clv;

import io.clvanalytics.engine.CalculationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Fits a purchase model and recognises when the data show no measurable drop-out. Every model here
 * has the NBD as its limit without drop-out (Pareto/NBD s → 0, BG/NBD and MBG/NBD a → 0), where the
 * other drop-out parameter (β, b) no longer matters. On such data the optimizer runs towards that
 * boundary: it either fails (a flat direction, a singular Hessian — formerly reported as some
 * other parameter "unidentified") or stops at a tiny drop-out parameter with an interval spanning
 * orders of magnitude.
 *
 * <p>Rule: when the full fit fails, or its drop-out parameter is weakly determined (value under
 * 0.01 or a 95 % interval wider than a factor 100), the NBD is fitted too and the likelihood-ratio
 * statistic 2 (LL_full − LL_NBD) computed (LL_full at the best point found when the fit failed).
 * Below {@value #CRITICAL} (the 5 % point of ½χ²₀ + ½χ²₁, the reference distribution for one
 * parameter on its boundary, Self &amp; Liang 1987) the result is the boundary fit: the NBD's r and α
 * with their intervals, the drop-out parameter at 0 and its partner unidentified. Otherwise the
 * full fit stands, or its failure is thrown unchanged. For Pareto/NBD without penalizer a direct check
 * of the boundary comes first ({@link #paretoBoundaryFirst}).
 */
final class DropoutBoundary {

    static final double CRITICAL = 2.71;

    private DropoutBoundary() {}

    /** The drop-out parameter of {@code model} and its partner that the boundary leaves unidentified. */
    static List<String> dropoutParameters(String model) {
        return ParetoNbdModel.NAME.equals(model) ? List.of("s", "beta") : List.of("a", "b");
    }

    static FitResult fit(PurchaseModel model, RfmData data, double penalizer) {
        if (model instanceof ParetoNbdModel && penalizer == 0) {
            FitResult atBoundary = paretoBoundaryFirst(model, data);
            if (atBoundary != null) {
                return atBoundary;
            }
        }
        FitResult full = null;
        CalculationException failure = null;
        try {
            full = model.fit(data, penalizer);
        } catch (CalculationException e) {
            failure = e;
        }
        List<String> dropout = dropoutParameters(model.name());
        if (full != null && !weak(full.parameter(dropout.get(0)))) {
            return full;
        }
        double unconstrained = full != null ? full.logLikelihood() : failureLogLikelihood(failure);
        if (!Double.isFinite(unconstrained)) {
            throw failure;
        }
        FitResult nbd;
        try {
            nbd = new NbdModel().fit(data, penalizer);
        } catch (CalculationException e) {
            if (failure != null) {
                throw failure;
            }
            return full;
        }
        double ratio = Math.max(0, 2 * (unconstrained - nbd.logLikelihood()));
        if (!(ratio < CRITICAL)) {
            if (failure != null) {
                throw failure;
            }
            return full;
        }
        return boundary(model, nbd, ratio, full == null ? intValue(failure, "evaluations") : full.iterations(), penalizer,
                String.format(Locale.ROOT, "likelihood ratio against NBD %.2f < %.2f", ratio, CRITICAL));
    }

    /** Ratios of β to α over which {@link #paretoBoundaryFirst} checks the slope in s (the likelihood's 2F1 stays in reach). */
    private static final double BETA_RANGE = 150;
    private static final int BETA_POINTS = 41;
    private static final double S_STEP = 1e-5;

    /**
     * Pareto/NBD's optimizer walks a long flat ridge towards s = 0 (minutes on a few thousand
     * customers) before it fails. So first the Karush-Kuhn-Tucker condition of a maximum on the
     * boundary is checked directly: at the NBD's r and α (where the likelihood's slopes in r and α
     * are zero), the log-likelihood must fall as s leaves 0, for every β from α/{@value #BETA_RANGE}
     * to {@value #BETA_RANGE}α on a log grid (a forward difference with s = {@value #S_STEP}; grid
     * points where the likelihood's series cannot be summed are skipped, at most a quarter). Then s = 0 is a
     * maximum in every direction and the boundary fit is returned without the full search; else
     * (or when the likelihood cannot be evaluated) null, and the full fit decides.
     */
    private static FitResult paretoBoundaryFirst(PurchaseModel model, RfmData data) {
        FitResult nbd;
        try {
            nbd = new NbdModel().fit(data, 0);
        } catch (CalculationException e) {
            return null;
        }
        double r = nbd.value("r"), alpha = nbd.value("alpha");
        double[] w = data.weight();
        int evaluated = 0;
        for (int k = 0; k < BETA_POINTS; k++) {
            double beta = alpha * Math.pow(BETA_RANGE, 2.0 * k / (BETA_POINTS - 1) - 1);
            double[] rows;
            try {
                rows = model.logLikelihood(new double[] {r, alpha, S_STEP, beta}, data);
            } catch (CalculationException outOfReach) {
                // Near the ends of the range the 2F1 series may not converge for some rows: that β is skipped.
                continue;
            }
            evaluated++;
            double ll = 0;
            for (int i = 0; i < rows.length; i++) {
                ll += w[i] * rows[i];
            }
            if (!(ll <= nbd.logLikelihood())) {
                return null;
            }
        }
        return evaluated >= BETA_POINTS * 3 / 4
                ? boundary(model, nbd, 0, 0, 0, String.format(Locale.ROOT, "the likelihood falls as s leaves 0 for every beta from"
                        + " alpha/%.0f to %.0f alpha", BETA_RANGE, BETA_RANGE))
                : null;
    }

    private static FitResult boundary(PurchaseModel model, FitResult nbd, double ratio, int fullEvaluations, double penalizer,
            String evidence) {
        List<String> dropout = dropoutParameters(model.name());
        String parameter = dropout.get(0);
        String meaning = String.format(Locale.ROOT, "no measurable drop-out in this data: %s -> 0, the model reduces to NBD;"
                + " P(alive) ~ 1 for every customer (%s is not identified; %s). Churn cannot be read from this fit.",
                parameter, dropout.get(1), evidence);
        List<FitResult.Parameter> params = new ArrayList<>(nbd.parameters());
        params.add(new FitResult.Parameter(parameter, 0, Double.NaN, 0, Double.NaN));
        params.add(new FitResult.Parameter(dropout.get(1), Double.NaN, Double.NaN, Double.NaN, Double.NaN));
        return new FitResult(model.name(), params, nbd.logLikelihood(), nbd.iterations() + fullEvaluations, true, penalizer,
                nbd.customers(), nbd.uniqueRows(),
                new FitResult.Boundary(parameter, List.of(dropout.get(1)), ratio, meaning));
    }

    private static boolean weak(FitResult.Parameter p) {
        return p.value() < 0.01 || !(p.upper95() / p.lower95() < 100);
    }

    private static double failureLogLikelihood(CalculationException e) {
        Object v = e.values().get(MaximumLikelihood.LOG_LIKELIHOOD);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static int intValue(CalculationException e, String key) {
        Object v = e.values().get(key);
        return v instanceof Number n ? n.intValue() : 0;
    }
}
