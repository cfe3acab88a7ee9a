package io.clvanalytics.engine.clv;

import java.util.List;
import org.apache.commons.numbers.gamma.Digamma;
import org.apache.commons.numbers.gamma.LogBeta;
import org.apache.commons.numbers.gamma.LogGamma;

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

    /**
     * ln(1 + e) for 0 ≤ e ≤ 1, as the likelihood rows need it. {@code Math.log1p} is not an
     * intrinsic on JDK 17 (it calls native fdlibm) and costs several times {@code Math.log}; here
     * 1 + e loses at most 2^-53 in absolute terms, nothing next to a per-row log-likelihood of order 1.
     */
    static double log1pUnit(double e) {
        return Math.log(1 + e);
    }

    static double logBeta(double a, double b) {
        return LogBeta.value(a, b);
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

    /**
     * The rows of one data set prepared for repeated likelihood evaluations: frequencies with their
     * distinct values, and each row's T and recency as an index into their distinct values, so
     * ln(α + T) and ln(α + t_x) are computed once per distinct value per evaluation, not per row.
     */
    static final class Prepared {
        final RfmData data;
        final Frequencies f;
        final double[] distinctT;
        final int[] tIndex;
        final double[] distinctRecency;
        final int[] recencyIndex;

        Prepared(RfmData data) {
            this.data = data;
            this.f = Frequencies.of(data.frequency());
            this.distinctT = distinct(data.T());
            this.tIndex = indexes(data.T(), distinctT);
            this.distinctRecency = distinct(data.recency());
            this.recencyIndex = indexes(data.recency(), distinctRecency);
        }

        /** Sorted distinct values (DoubleStream.distinct would box every value). */
        private static double[] distinct(double[] values) {
            double[] sorted = values.clone();
            java.util.Arrays.sort(sorted);
            int n = 0;
            for (int i = 0; i < sorted.length; i++) {
                if (n == 0 || Double.compare(sorted[i], sorted[n - 1]) != 0) {
                    sorted[n++] = sorted[i];
                }
            }
            return java.util.Arrays.copyOf(sorted, n);
        }

        private static int[] indexes(double[] values, double[] distinct) {
            int[] out = new int[values.length];
            for (int i = 0; i < values.length; i++) {
                out[i] = java.util.Arrays.binarySearch(distinct, values[i]);
            }
            return out;
        }

        /** ln(α + v) for every distinct value v. */
        static double[] logPlus(double alpha, double[] distinct) {
            double[] out = new double[distinct.length];
            for (int j = 0; j < out.length; j++) {
                out[j] = Math.log(alpha + distinct[j]);
            }
            return out;
        }

        /** 1 / (α + v) for every distinct value v. */
        static double[] inversePlus(double alpha, double[] distinct) {
            double[] out = new double[distinct.length];
            for (int j = 0; j < out.length; j++) {
                out[j] = 1 / (alpha + distinct[j]);
            }
            return out;
        }
    }

    /** One row's weighted contribution to a log-likelihood and its gradient. */
    @FunctionalInterface
    interface Row {
        /** Adds w × (log-likelihood, its derivatives) of row i into acc; returns the unweighted log-likelihood. */
        double add(int i, double w, double[] acc);
    }

    /**
     * A BG/NBD-family log-likelihood (parameters r, α, a, b) written as a constant per customer plus
     * a per-row part, each with its gradient.
     */
    interface BetaGeoFamily {
        /** The per-row part at {@code params}: acc[0] the value, acc[1..4] ∂/∂(r, α, a, b). */
        Row rows(double[] params, Prepared p);

        /** The part every customer shares: −lnΓ(r) + r ln α + lnΓ(a+b) − lnΓ(b); its gradient into {@code g}. */
        static double constant(double[] params, double[] g) {
            double r = params[0], alpha = params[1], a = params[2], b = params[3];
            double psiAB = Digamma.value(a + b);
            g[0] = -Digamma.value(r) + Math.log(alpha);
            g[1] = r / alpha;
            g[2] = psiAB;
            g[3] = psiAB - Digamma.value(b);
            return -LogGamma.value(r) + r * Math.log(alpha) + LogGamma.value(a + b) - LogGamma.value(b);
        }
    }

    /**
     * Fits a four-parameter model of the BG/NBD family (r, alpha, a, b): a first BFGS run on a
     * subsample, the final steps on all rows, from starting points scaled to the observation time.
     */
    static FitResult fitBetaGeoFamily(String model, List<String> parameters, RfmData data, double penalizer,
                                      BetaGeoFamily likelihood) {
        requireInformation(model, data);
        double scale = meanT(data);
        Prepared full = new Prepared(data);
        Prepared coarse = data.size() <= COARSE_ROWS ? full : new Prepared(subsample(data));
        MaximumLikelihood.LogLikelihood fullLl = (p, g) -> weightedTotal(likelihood, p, full, g);
        return MaximumLikelihood.fit(model, parameters,
                fullLl, coarse == full ? fullLl : (p, g) -> weightedTotal(likelihood, p, coarse, g),
                data.customers(), data.size(), penalizer,
                List.of(new double[] {1, 1, 1, 1}, new double[] {0.5, scale, 1, 2}, new double[] {0.1, 0.1 * scale, 0.5, 0.5}));
    }

    /** Each row's log-likelihood (unweighted). */
    static double[] rowLogLikelihoods(BetaGeoFamily likelihood, double[] params, RfmData data) {
        Prepared p = new Prepared(data);
        double constant = BetaGeoFamily.constant(params, new double[4]);
        Row row = likelihood.rows(params, p);
        return Rows.map(data.size(), i -> row.add(i, 1, new double[5]) + constant);
    }

    private static double weightedTotal(BetaGeoFamily likelihood, double[] params, Prepared p, double[] gradient) {
        Row row = likelihood.rows(params, p);
        double[] w = p.data.weight();
        double[] sums = Rows.sums(p.data.size(), 5, (i, acc) -> row.add(i, w[i], acc));
        double[] g = new double[4];
        double constant = BetaGeoFamily.constant(params, g);
        double customers = p.data.customers();
        if (gradient != null) {
            for (int k = 0; k < 4; k++) {
                gradient[k] = sums[k + 1] + customers * g[k];
            }
        }
        return sums[0] + customers * constant;
    }
}
