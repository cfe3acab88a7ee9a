package io.clvanalytics.engine.clv;

import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;

/** Vectorized loops over compressed rows, parallel in fixed chunks so sums are reproducible. */
final class Rows {

    private static final int CHUNK = 2048;

    private Rows() {}

    /** Σ f(i) for i in [0, n), the same value on every run whatever the thread count. */
    static double sum(int n, IntToDoubleFunction f) {
        if (n <= CHUNK) {
            return chunkSum(0, n, f);
        }
        int chunks = (n + CHUNK - 1) / CHUNK;
        double[] partial = IntStream.range(0, chunks).parallel()
                .mapToDouble(c -> chunkSum(c * CHUNK, Math.min(n, (c + 1) * CHUNK), f))
                .toArray();
        double s = 0;
        for (double p : partial) {
            s += p;
        }
        return s;
    }

    /** Adds row i's contributions into a vector of running sums. */
    @FunctionalInterface
    interface Accumulator {
        void add(int i, double[] sums);
    }

    /**
     * Several sums over i in [0, n) at once (a log-likelihood and its gradient), the same values on
     * every run whatever the thread count: fixed chunks, combined in order.
     */
    static double[] sums(int n, int width, Accumulator f) {
        int chunks = Math.max(1, (n + CHUNK - 1) / CHUNK);
        double[][] partial = new double[chunks][];
        IntStream range = IntStream.range(0, chunks);
        (chunks > 1 ? range.parallel() : range).forEach(c -> {
            double[] acc = new double[width];
            for (int i = c * CHUNK, to = Math.min(n, (c + 1) * CHUNK); i < to; i++) {
                f.add(i, acc);
            }
            partial[c] = acc;
        });
        double[] total = new double[width];
        for (double[] p : partial) {
            for (int j = 0; j < width; j++) {
                total[j] += p[j];
            }
        }
        return total;
    }

    /** out[i] = f(i) for i in [0, n), computed in parallel for big n. */
    static double[] map(int n, IntToDoubleFunction f) {
        double[] out = new double[n];
        IntStream range = IntStream.range(0, n);
        (n > CHUNK ? range.parallel() : range).forEach(i -> out[i] = f.applyAsDouble(i));
        return out;
    }

    private static double chunkSum(int from, int to, IntToDoubleFunction f) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += f.applyAsDouble(i);
        }
        return s;
    }
}
