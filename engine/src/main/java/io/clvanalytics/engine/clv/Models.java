package io.clvanalytics.engine.clv;

import org.apache.commons.numbers.gamma.LogBeta;

/** Small numerical helpers the models share. */
final class Models {

    private Models() {}

    static double logAddExp(double x, double y) {
        double max = Math.max(x, y);
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        return max + Math.log1p(Math.exp(Math.min(x, y) - max));
    }

    static double logBeta(double a, double b) {
        return LogBeta.value(a, b);
    }

    static double weightedSum(double[] values, double[] weight) {
        return Rows.sum(values.length, i -> values[i] * weight[i]);
    }

    /** Rows for the coarse Nelder-Mead search: all of them up to this many, else a systematic subsample. */
    static final int COARSE_ROWS = 20_000;

    /**
     * Every k-th row (rows come sorted by frequency, recency, T, so this spreads over all of them)
     * with weights rescaled to the same number of customers; {@code d} itself when it is small.
     */
    static RfmData subsample(RfmData d) {
        if (d.size() <= COARSE_ROWS) {
            return d;
        }
        int k = (d.size() + COARSE_ROWS - 1) / COARSE_ROWS;
        int n = (d.size() + k - 1) / k;
        double[] x = new double[n], tx = new double[n], T = new double[n], w = new double[n];
        double kept = 0;
        for (int j = 0; j < n; j++) {
            int i = j * k;
            x[j] = d.frequency()[i];
            tx[j] = d.recency()[i];
            T[j] = d.T()[i];
            w[j] = d.weight()[i];
            kept += w[j];
        }
        double scale = d.customers() / kept;
        for (int j = 0; j < n; j++) {
            w[j] *= scale;
        }
        return new RfmData(x, tx, T, w);
    }

    /**
     * Row frequencies as ints with the distinct values present, so terms that depend on the
     * frequency alone (log-gamma functions) are computed once per distinct value, not per row.
     */
    record Frequencies(int[] x, int[] distinct, int max) {
        static Frequencies of(double[] frequency) {
            int[] x = new int[frequency.length];
            int max = 0;
            for (int i = 0; i < x.length; i++) {
                x[i] = (int) frequency[i];
                max = Math.max(max, x[i]);
            }
            boolean[] seen = new boolean[max + 1];
            int count = 0;
            for (int v : x) {
                if (!seen[v]) {
                    seen[v] = true;
                    count++;
                }
            }
            int[] distinct = new int[count];
            for (int v = 0, j = 0; v <= max; v++) {
                if (seen[v]) {
                    distinct[j++] = v;
                }
            }
            return new Frequencies(x, distinct, max);
        }
    }

    /**
     * Refuses data that cannot identify a purchase model: nobody observed for any time after the
     * first purchase (a single day of data).
     */
    static void requireInformation(String model, RfmData d) {
        for (double t : d.T()) {
            if (t > 0) {
                return;
            }
        }
        throw new io.clvanalytics.engine.CalculationException(model + " fit impossible: every customer's first purchase is on the last"
                + " day observed (T = 0), so there is no time in which repeat purchases could show", java.util.Map.of("rows", d.size()));
    }

    /** Customer-weighted mean of T: a scale for starting points. */
    static double meanT(RfmData data) {
        double s = Rows.sum(data.size(), i -> data.T()[i] * data.weight()[i]) / data.customers();
        return s > 0 ? s : 1;
    }
}
