package io.clvanalytics.engine.generate;

import java.time.LocalDate;

/**
 * A year-periodic multiplier of the purchase rate with mean 1 over the year: a smooth bump centred
 * on 6 December (three weeks wide) of relative height {@code amplitude}; 0 gives a constant 1.
 */
final class Seasonality {

    private final double[] factorByDayOfYear = new double[367];
    private final double max;

    Seasonality(double amplitude) {
        double sum = 0;
        for (int d = 1; d <= 366; d++) {
            double z = (d - 340) / 21.0;
            factorByDayOfYear[d] = 1 + amplitude * Math.exp(-z * z);
            if (d <= 365) {
                sum += factorByDayOfYear[d];
            }
        }
        double mean = sum / 365;
        double m = 0;
        for (int d = 1; d <= 366; d++) {
            factorByDayOfYear[d] /= mean;
            m = Math.max(m, factorByDayOfYear[d]);
        }
        this.max = m;
    }

    /** The multiplier on {@code epochDay}. */
    double factor(long epochDay) {
        return factorByDayOfYear[LocalDate.ofEpochDay(epochDay).getDayOfYear()];
    }

    /** The largest multiplier (the thinning bound). */
    double max() {
        return max;
    }
}
