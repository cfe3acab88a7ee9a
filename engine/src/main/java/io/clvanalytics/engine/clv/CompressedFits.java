package io.clvanalytics.engine.clv;

/**
 * The fitting steps of {@link ClvService} on compressed rows, without a store: for engines that
 * compute the RFM summary elsewhere and collect only its distinct (frequency, recency, T) or
 * (frequency, monetary value) rows (engine-spark). {@link ClvService} fits through these same methods,
 * so both paths run one implementation of every rule: the drop-out boundary ({@link DropoutBoundary}),
 * Gamma-Gamma's finite-mean check, and which model and parameters predict for a boundary fit.
 */
public final class CompressedFits {

    private CompressedFits() {}

    /**
     * Fits purchase model {@code model} ({@code bgnbd}, {@code pnbd}, {@code mbgnbd}) as {@code clv fit} does.
     *
     * @throws io.clvanalytics.engine.CalculationException when no fit converges
     */
    public static FitResult fitPurchases(String model, RfmData data, double penalizer) {
        return DropoutBoundary.fit(PurchaseModel.named(model), data, penalizer);
    }

    /**
     * Fits Gamma-Gamma as {@code clv fit --model gg} does.
     *
     * @throws io.clvanalytics.engine.CalculationException when the fitted model has an infinite mean spend
     */
    public static FitResult fitSpend(SpendData spend, double penalizer) {
        GammaGammaModel gg = new GammaGammaModel();
        FitResult fit = gg.fit(spend, penalizer);
        gg.populationMeanSpend(fit.values());
        return fit;
    }

    /** The model that predicts for {@code fit} of {@code model}: the NBD when the fit is on the no-drop-out boundary. */
    public static PurchaseModel predictingModel(String model, FitResult fit) {
        return fit.boundary() == null ? PurchaseModel.named(model) : new NbdModel();
    }

    /** The parameters {@link #predictingModel} takes: the NBD's r and α for a boundary fit. */
    public static double[] predictingParameters(FitResult fit) {
        return fit.boundary() == null ? fit.values() : new double[] {fit.value("r"), fit.value("alpha")};
    }

    /**
     * The purchase model's holdout comparison from compressed rows: each row i stands for
     * {@code weight[i]} customers with the same calibration history and {@code frequencyHoldout[i]}
     * purchases in the holdout. Same definition as {@link ClvService.Holdout}.
     */
    public static ClvService.Holdout purchaseHoldout(String model, FitResult fit, double holdoutDuration, double[] frequency,
            double[] recency, double[] T, double[] frequencyHoldout, double[] weight) {
        double[] expected = predictingModel(model, fit).expectedPurchases(predictingParameters(fit), holdoutDuration, frequency, recency, T);
        return holdout(expected, frequencyHoldout, weight);
    }

    /**
     * Gamma-Gamma's holdout comparison from compressed rows of the customers who bought in the
     * holdout: expected spend per purchase from (frequency, monetary value) against their holdout mean spend.
     */
    public static ClvService.Holdout spendHoldout(FitResult fit, double[] frequency, double[] monetary, double[] monetaryHoldout,
            double[] weight) {
        double[] expected = new GammaGammaModel().conditionalExpectedSpend(fit.values(), frequency, monetary);
        ClvService.Holdout sums = holdout(expected, monetaryHoldout, weight);
        return new ClvService.Holdout(sums.customers(), sums.expected() / sums.customers(), sums.actual() / sums.customers(),
                sums.meanAbsoluteError());
    }

    /** Weighted count, sums of expected and actual, mean absolute error. */
    private static ClvService.Holdout holdout(double[] expected, double[] actual, double[] weight) {
        double n = 0, e = 0, a = 0, abs = 0;
        for (int i = 0; i < expected.length; i++) {
            n += weight[i];
            e += weight[i] * expected[i];
            a += weight[i] * actual[i];
            abs += weight[i] * Math.abs(expected[i] - actual[i]);
        }
        return new ClvService.Holdout(Math.round(n), e, a, n == 0 ? Double.NaN : abs / n);
    }
}
