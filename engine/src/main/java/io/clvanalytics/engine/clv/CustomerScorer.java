package io.clvanalytics.engine.clv;

import io.clvanalytics.engine.CalculationException;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * Scores customers in Java from fitted runs, batch by batch: for engines that hold the RFM summary
 * outside DuckDB (engine-spark scores each partition with one). Serializable, so one instance built
 * on a driver can travel to workers; every prediction comes from the models' own code
 * ({@link PurchaseModel#probabilityAlive}, {@link LifetimeValue}, {@link GammaGammaModel#conditionalExpectedSpend}).
 *
 * <p>The columns and their definitions are those of {@code customer_scores} as {@link ClvService}
 * writes them (where the same products are taken set-based in SQL over the stored summary):
 * expected purchases = P(alive) × E[X(H) | alive]; CLV = expected spend × P(alive) × discounted
 * purchases if alive; historic CLV = calibration amount / max(1, tenure days / 30.4375) × Σ_k ((1 − c) / (1 + d))^k;
 * P(n purchases) = P(alive) × P(n | alive), plus 1 − P(alive) for n = 0, and P(3+) the rest (floored at 0).
 * Expected spend is Gamma-Gamma's conditional expectation, or the customer's own history without
 * a spend run (mean repeat spend, else the first purchase), or absent (NaN) when the data have no amounts.
 */
public final class CustomerScorer implements Serializable {

    private static final long serialVersionUID = 1L;
    /** Days in the average month of the historic CLV's tenure (365.25 / 12). */
    static final double DAYS_PER_MONTH = 30.4375;

    private final String model;
    private final double[] params;
    private final double[] spendParams;
    private final boolean amounts;
    private final TimeUnit unit;
    private final int horizonMonths;
    private final double discountRate;
    private final double survival;

    private CustomerScorer(String model, double[] params, double[] spendParams, boolean amounts, TimeUnit unit, int horizonMonths,
            double discountRate, double survival) {
        this.model = model;
        this.params = params.clone();
        this.spendParams = spendParams == null ? null : spendParams.clone();
        this.amounts = amounts;
        this.unit = unit;
        this.horizonMonths = horizonMonths;
        this.discountRate = discountRate;
        this.survival = survival;
    }

    /**
     * A scorer for purchase fit {@code purchases} of {@code model} (predicting with the NBD when it
     * is on the no-drop-out boundary) and spend fit {@code spend} (null: spend from each customer's history).
     *
     * @param monthlyChurn the store's monthly churn probability (see {@link ClvService}'s historic CLV)
     * @param amounts      whether the data have amounts at all (without, spend and both CLVs are NaN)
     */
    public static CustomerScorer of(String model, FitResult purchases, FitResult spend, TimeUnit unit, int horizonMonths,
            double discountRate, double monthlyChurn, boolean amounts) {
        String predicting = purchases.boundary() == null ? model : NbdModel.NAME;
        return new CustomerScorer(predicting, CompressedFits.predictingParameters(purchases), spend == null ? null : spend.values(),
                amounts, unit, horizonMonths, discountRate, survival(monthlyChurn, discountRate, horizonMonths));
    }

    /** Σ_{k=1..H} ((1 − c) / (1 + d))^k: the historic CLV's discounted expected months of survival. */
    static double survival(double churn, double discountRate, int horizonMonths) {
        double sum = 0;
        for (int k = 1; k <= horizonMonths; k++) {
            sum += Math.pow((1 - churn) / (1 + discountRate), k);
        }
        return sum;
    }

    /**
     * One batch's scores, one array element per customer (in the input's order). {@code purchases[n]}
     * is P(n purchases in the horizon) for n = 0, 1, 2 and {@code purchases[3]} P(3 or more).
     * Spend, CLV and historic CLV are NaN when the data have no amounts.
     */
    public record Scores(double[] probabilityAlive, double[] expectedPurchases, double[] expectedSpend, double[] clv,
            double[] historicClv, double[][] purchases) {}

    /**
     * Scores customers given their calibration summary: repeat purchases, recency and T in the
     * fit's time unit, tenure in whole days (first purchase day to the calibration end), mean repeat
     * spend and all purchase days' amounts in the calibration period.
     *
     * @throws CalculationException when a prediction is not finite (no NaN score is ever written)
     */
    public Scores score(double[] frequency, double[] recency, double[] T, int[] tenureDays, double[] monetary,
            double[] calibrationAmount) {
        PurchaseModel m = model.equals(NbdModel.NAME) ? new NbdModel() : PurchaseModel.named(model);
        int n = frequency.length;
        // Predictions for a customer alive at T depend on (frequency, T) only: computed once per distinct pair of the batch.
        Map<Pair, Integer> index = new HashMap<>();
        int[] pairOf = new int[n];
        double[] pf = new double[n];
        double[] pt = new double[n];
        for (int i = 0; i < n; i++) {
            Pair key = new Pair(frequency[i], T[i]);
            Integer at = index.get(key);
            if (at == null) {
                at = index.size();
                index.put(key, at);
                pf[at] = frequency[i];
                pt[at] = T[i];
            }
            pairOf[i] = at;
        }
        int pairs = index.size();
        LifetimeValue.Scores ifAlive = LifetimeValue.compute(m, params, horizonMonths, discountRate, unit,
                new double[][] {java.util.Arrays.copyOf(pf, pairs), java.util.Arrays.copyOf(pt, pairs)});
        double[] alive = m.probabilityAlive(params, frequency, recency, T);
        double[] spend = amounts ? expectedSpend(frequency, monetary, calibrationAmount) : null;
        double[] expected = new double[n];
        double[] clv = new double[n];
        double[] historic = new double[n];
        double[][] counts = new double[LifetimeValue.PURCHASE_COUNTS + 1][n];
        for (int i = 0; i < n; i++) {
            int j = pairOf[i];
            double p = alive[i];
            expected[i] = p * ifAlive.expectedIfAlive()[j];
            double p0 = ifAlive.purchasesIfAlive()[0][j];
            double p1 = ifAlive.purchasesIfAlive()[1][j];
            double p2 = ifAlive.purchasesIfAlive()[2][j];
            counts[0][i] = 1 - p + p * p0;
            counts[1][i] = p * p1;
            counts[2][i] = p * p2;
            counts[3][i] = Math.max(0, p * (1 - p0 - p1 - p2));
            clv[i] = amounts ? spend[i] * p * ifAlive.discountedIfAlive()[j] : Double.NaN;
            historic[i] = amounts ? calibrationAmount[i] / Math.max(1, tenureDays[i] / DAYS_PER_MONTH) * survival : Double.NaN;
            if (!Double.isFinite(p) || !Double.isFinite(expected[i]) || amounts && !Double.isFinite(clv[i])) {
                throw new CalculationException("a prediction is not finite for frequency " + frequency[i] + ", recency " + recency[i]
                        + ", T " + T[i], Map.of("p_alive", p, "expected_purchases", expected[i], "clv", clv[i]));
            }
        }
        double[] spendOut = spend == null ? nan(n) : spend;
        return new Scores(alive, expected, spendOut, clv, historic, counts);
    }

    private double[] expectedSpend(double[] frequency, double[] monetary, double[] calibrationAmount) {
        if (spendParams != null) {
            return new GammaGammaModel().conditionalExpectedSpend(spendParams, frequency, monetary);
        }
        double[] s = new double[frequency.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = frequency[i] > 0 ? monetary[i] : calibrationAmount[i];
        }
        return s;
    }

    private static double[] nan(int n) {
        double[] v = new double[n];
        java.util.Arrays.fill(v, Double.NaN);
        return v;
    }

    private record Pair(double frequency, double T) {}
}
