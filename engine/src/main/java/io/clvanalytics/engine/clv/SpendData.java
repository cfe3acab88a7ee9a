package io.clvanalytics.engine.clv;

import io.clvanalytics.engine.DataValidationException;

/**
 * What the Gamma-Gamma spend model fits on: customers with at least one repeat purchase,
 * compressed to distinct (frequency, monetary value) rows with counts as weights.
 *
 * <p>Shape: three arrays of equal length; {@code frequency[i]} a whole number ≥ 1 of repeat
 * purchases, {@code monetary[i] > 0} their mean spend, {@code weight[i] > 0}.
 */
public record SpendData(double[] frequency, double[] monetary, double[] weight) {

    public SpendData {
        int n = frequency.length;
        if (monetary.length != n || weight.length != n) {
            throw new IllegalArgumentException("frequency, monetary and weight must have the same length");
        }
        for (int i = 0; i < n; i++) {
            if (!(frequency[i] >= 1) || frequency[i] != Math.rint(frequency[i]) || !Double.isFinite(frequency[i])) {
                throw new DataValidationException("row " + i + ": Gamma-Gamma needs frequency >= 1 repeat purchase (" + frequency[i] + ")");
            }
            if (!(monetary[i] > 0) || !Double.isFinite(monetary[i])) {
                throw new DataValidationException("row " + i + ": Gamma-Gamma needs monetary value > 0 (" + monetary[i] + ")");
            }
            if (!(weight[i] > 0) || !Double.isFinite(weight[i])) {
                throw new DataValidationException("row " + i + ": weight must be > 0 (" + weight[i] + ")");
            }
        }
    }

    public int size() {
        return frequency.length;
    }
}
