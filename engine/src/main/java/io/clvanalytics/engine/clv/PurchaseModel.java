package io.clvanalytics.engine.clv;

import java.util.List;

/**
 * A probabilistic model of repeat purchasing and dropout ("buy till you die"): BG/NBD, Pareto/NBD
 * or MBG/NBD. Every implementation has the same shape: it fits on {@link RfmData} by maximum
 * likelihood and predicts, vectorized over arrays of customers, from a parameter vector in the
 * order of {@link #parameterNames()}. Times are in the unit of the data the model was fitted on.
 *
 * <p>Predictions never return NaN: parameters come from a converged fit, and a numerical failure
 * (for example a hypergeometric series that does not converge) throws
 * {@link io.clvanalytics.engine.CalculationException}.
 */
public interface PurchaseModel {

    /** Short name used on the command line and in {@code model_runs.model}. */
    String name();

    /** Parameter names in the canonical order of every {@code double[] params}. */
    List<String> parameterNames();

    /**
     * Fits by maximum likelihood.
     *
     * @param penalizer L2 penalty coefficient on the parameters, as lifetimes' {@code penalizer_coef}; 0 for none
     * @throws io.clvanalytics.engine.CalculationException when the fit does not converge
     */
    FitResult fit(RfmData data, double penalizer);

    /** Log-likelihood of each row (unweighted). */
    double[] logLikelihood(double[] params, RfmData data);

    /** Expected number of purchases in the next {@code t} periods given each customer's history. */
    double[] expectedPurchases(double[] params, double t, double[] frequency, double[] recency, double[] T);

    /**
     * Expected purchases in the next {@code t} periods of customers known to be alive at the end of
     * observation, given x repeat purchases and T: the factor that multiplies P(alive) in
     * {@link #expectedPurchases}. It does not depend on recency, so callers can compute it once per
     * distinct (frequency, T).
     */
    double[] expectedPurchasesIfAlive(double[] params, double t, double[] frequency, double[] T);

    /**
     * For the BG/NBD family, whose P(alive) is 1 / (1 + c_x · ((α + T) / (α + t_x))^(r + x)) with r and
     * α the first two parameters: c_x for each frequency x, so P(alive) can be computed where the
     * customers' rows are stored instead of row by row here. Null for a model without that form.
     */
    default double[] aliveOdds(double[] params, double[] frequency) {
        return null;
    }

    /** Probability that each customer is still alive at the end of observation. */
    double[] probabilityAlive(double[] params, double[] frequency, double[] recency, double[] T);

    /** Probability of exactly {@code n} purchases in the next {@code t} periods, given each history. */
    double[] probabilityOfPurchases(double[] params, int n, double t, double[] frequency, double[] recency, double[] T);

    /**
     * Probability of exactly {@code n} purchases in the next {@code t} periods of customers known to be
     * alive at the end of observation, given x and T (what multiplies P(alive) in
     * {@link #probabilityOfPurchases}; it does not depend on recency).
     */
    double[] probabilityOfPurchasesIfAlive(double[] params, int n, double t, double[] frequency, double[] T);

    /** Expected number of repeat purchases by a new customer in the {@code t} periods after the first purchase. */
    double expectedPurchasesNewCustomer(double[] params, double t);

    /** Probability that a new customer makes exactly {@code n} repeat purchases in {@code t} periods. */
    double probabilityOfPurchasesNewCustomer(double[] params, int n, double t);

    /** The model for a short name: {@code bgnbd}, {@code pnbd} or {@code mbgnbd}. */
    static PurchaseModel named(String name) {
        return switch (name) {
            case BetaGeoModel.NAME -> new BetaGeoModel();
            case ParetoNbdModel.NAME -> new ParetoNbdModel();
            case ModifiedBetaGeoModel.NAME -> new ModifiedBetaGeoModel();
            default -> throw new IllegalArgumentException("unknown purchase model " + name + " (bgnbd, pnbd, mbgnbd)");
        };
    }
}
