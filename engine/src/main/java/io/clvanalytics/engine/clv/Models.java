package io.clvanalytics.engine.clv;

import java.util.List;
import java.util.function.IntToDoubleFunction;
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

    /** A model's per-row log-likelihood, with frequency-only terms shared per distinct frequency. */
    @FunctionalInterface
    interface RowLogLikelihood {
        IntToDoubleFunction rows(double[] params, RfmData data, Frequencies f);
    }

    /**
     * Fits a four-parameter model of the BG/NBD family (r, alpha, a, b): the search runs on a
     * subsample, the final steps on all rows, from starting points scaled to the observation time.
     */
    static FitResult fitBetaGeoFamily(String model, List<String> parameters, RfmData data, double penalizer,
                                      RowLogLikelihood likelihood) {
        requireInformation(model, data);
        double scale = meanT(data);
        RfmData coarse = subsample(data);
        Frequencies f = Frequencies.of(data.frequency());
        Frequencies fc = Frequencies.of(coarse.frequency());
        return MaximumLikelihood.fit(model, parameters,
                p -> weightedTotal(likelihood, p, data, f), p -> weightedTotal(likelihood, p, coarse, fc),
                data.customers(), data.size(), penalizer,
                List.of(new double[] {1, 1, 1, 1}, new double[] {0.5, scale, 1, 2}, new double[] {0.1, 0.1 * scale, 0.5, 0.5}));
    }

    /** Each row's log-likelihood (unweighted). */
    static double[] rowLogLikelihoods(RowLogLikelihood likelihood, double[] params, RfmData data) {
        return Rows.map(data.size(), likelihood.rows(params, data, Frequencies.of(data.frequency())));
    }

    private static double weightedTotal(RowLogLikelihood likelihood, double[] params, RfmData data, Frequencies f) {
        IntToDoubleFunction row = likelihood.rows(params, data, f);
        double[] w = data.weight();
        return Rows.sum(data.size(), i -> w[i] * row.applyAsDouble(i));
    }
}
