package io.clvanalytics.engine.clv;

/**
 * The purchase side of discounted CLV, per distinct (frequency, recency, T) row: lifetimes'
 * {@code _customer_lifetime_value} loop over whole months k = 1..H, discounting the purchases
 * expected in month k by (1 + d)^k. Multiplying by expected spend per purchase gives the CLV.
 */
final class LifetimeValue {

    private LifetimeValue() {}

    /**
     * Returns {E[X(H months)], Σ_k (E[X(k)] − E[X(k−1)]) / (1 + d)^k} for each row.
     */
    static double[][] discountedPurchases(PurchaseModel model, double[] params, int horizonMonths, double monthlyDiscount,
            TimeUnit unit, RfmData d) {
        double[] previous = new double[d.size()];
        double[] discounted = new double[d.size()];
        for (int k = 1; k <= horizonMonths; k++) {
            double[] cumulative = model.expectedPurchases(params, k * unit.periodsPerMonth(), d.frequency(), d.recency(), d.T());
            double factor = Math.pow(1 + monthlyDiscount, -k);
            for (int i = 0; i < cumulative.length; i++) {
                discounted[i] += (cumulative[i] - previous[i]) * factor;
            }
            previous = cumulative;
        }
        return new double[][] {previous, discounted};
    }
}
