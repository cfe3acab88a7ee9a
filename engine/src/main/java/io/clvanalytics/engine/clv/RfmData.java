package io.clvanalytics.engine.clv;

import io.clvanalytics.engine.DataValidationException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Customers compressed to distinct (frequency, recency, T) rows, each with the number of
 * customers that share it as its weight. This is what the purchase models fit on and predict for:
 * a million customers usually collapse to a few hundred thousand rows or far fewer.
 *
 * <p>Shape: four arrays of equal length n; {@code frequency[i]} is a whole number ≥ 0 of repeat
 * purchase periods, {@code 0 ≤ recency[i] ≤ T[i]} in the chosen time unit, {@code recency[i] = 0}
 * when {@code frequency[i] = 0}, {@code weight[i] > 0}. Validated once here.
 */
public record RfmData(double[] frequency, double[] recency, double[] T, double[] weight) {

    public RfmData {
        int n = frequency.length;
        if (recency.length != n || T.length != n || weight.length != n) {
            throw new IllegalArgumentException("frequency, recency, T and weight must have the same length");
        }
        for (int i = 0; i < n; i++) {
            double x = frequency[i];
            double r = recency[i];
            double t = T[i];
            double w = weight[i];
            if (!(x >= 0) || x != Math.rint(x) || !Double.isFinite(x)) {
                throw new DataValidationException("row " + i + ": frequency must be a whole number >= 0 (" + x + ")");
            }
            if (!(r >= 0) || !(t >= r) || !Double.isFinite(t)) {
                throw new DataValidationException("row " + i + ": need 0 <= recency <= T (recency " + r + ", T " + t + ")");
            }
            if (x == 0 && r != 0) {
                throw new DataValidationException("row " + i + ": recency must be 0 when frequency is 0 (" + r + ")");
            }
            if (!(w > 0) || !Double.isFinite(w)) {
                throw new DataValidationException("row " + i + ": weight must be > 0 (" + w + ")");
            }
        }
    }

    /** Compresses one row per customer into distinct rows with counts as weights. */
    public static RfmData compress(double[] frequency, double[] recency, double[] T) {
        Map<String, Integer> index = new HashMap<>();
        double[][] cols = new double[4][frequency.length];
        int n = 0;
        for (int i = 0; i < frequency.length; i++) {
            String key = frequency[i] + "|" + recency[i] + "|" + T[i];
            Integer at = index.get(key);
            if (at == null) {
                index.put(key, n);
                cols[0][n] = frequency[i];
                cols[1][n] = recency[i];
                cols[2][n] = T[i];
                cols[3][n] = 1;
                n++;
            } else {
                cols[3][at]++;
            }
        }
        return new RfmData(Arrays.copyOf(cols[0], n), Arrays.copyOf(cols[1], n), Arrays.copyOf(cols[2], n), Arrays.copyOf(cols[3], n));
    }

    /** Number of distinct rows. */
    public int size() {
        return frequency.length;
    }

    /** Number of customers (sum of the weights). */
    public double customers() {
        double s = 0;
        for (double w : weight) {
            s += w;
        }
        return s;
    }
}
