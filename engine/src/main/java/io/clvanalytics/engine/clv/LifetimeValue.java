package io.clvanalytics.engine.clv;

/**
 * The purchase side of discounted CLV, per distinct (frequency, T) pair: lifetimes'
 * {@code _customer_lifetime_value} loop over whole months k = 1..H, discounting the purchases
 * expected in month k by (1 + d)^k. Multiplying by expected spend per purchase gives the CLV.
 * Beside it, the distribution of the number of purchases in the horizon: P(0), P(1), P(2), P(3+).
 *
 * <p>Every purchase model's predictions are P(alive | x, t_x, T) × a prediction for a customer
 * alive at T that does not depend on recency: that factor is computed once per distinct
 * (frequency, T) pair here; P(alive) and the product are taken where the scores are written
 * ({@link ClvService}).
 */
final class LifetimeValue {

    /** Largest count with its own probability; the last column is "this many or more". */
    static final int PURCHASE_COUNTS = 3;

    private LifetimeValue() {}

    /**
     * Per distinct (frequency, T) pair j ({@code pairFrequency[j]},
     * {@code pairT[j]}), for a customer alive at T: {@code expectedIfAlive[j]} = E[X(H months)],
     * {@code discountedIfAlive[j]} = Σ_k (E[X(k)] − E[X(k−1)]) / (1 + d)^k and
     * {@code purchasesIfAlive[n][j]} = P(X(H months) = n) for n below {@value #PURCHASE_COUNTS}.
     * A row's predictions are its P(alive) times its pair's (plus 1 − P(alive) for P(0 purchases)):
     * the product is taken where the rows are stored.
     */
    record Scores(double[] pairFrequency, double[] pairT, double[] expectedIfAlive, double[] discountedIfAlive,
            double[][] purchasesIfAlive) {}

    /** Predictions for distinct (frequency, T) pairs ({@code pairs[0]}, {@code pairs[1]}). */
    static Scores compute(PurchaseModel model, double[] params, int horizonMonths, double monthlyDiscount, TimeUnit unit,
            double[][] pairs) {
        double[] x = pairs[0];
        double[] T = pairs[1];
        double[] previous = new double[x.length];
        double[] discounted = new double[x.length];
        for (int k = 1; k <= horizonMonths; k++) {
            double[] cumulative = model.expectedPurchasesIfAlive(params, k * unit.periodsPerMonth(), x, T);
            double factor = Math.pow(1 + monthlyDiscount, -k);
            for (int j = 0; j < cumulative.length; j++) {
                discounted[j] += (cumulative[j] - previous[j]) * factor;
            }
            previous = cumulative;
        }
        double horizon = horizonMonths * unit.periodsPerMonth();
        double[][] counts = new double[PURCHASE_COUNTS][];
        for (int n = 0; n < PURCHASE_COUNTS; n++) {
            counts[n] = model.probabilityOfPurchasesIfAlive(params, n, horizon, x, T);
        }
        return new Scores(x, T, previous, discounted, counts);
    }
}
