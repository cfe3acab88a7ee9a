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

    /** Customer-weighted mean of T: a scale for starting points. */
    static double meanT(RfmData data) {
        double s = Rows.sum(data.size(), i -> data.T()[i] * data.weight()[i]) / data.customers();
        return s > 0 ? s : 1;
    }
}
