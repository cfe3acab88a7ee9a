package io.clvanalytics.engine.lifecycle;

import io.clvanalytics.engine.DataValidationException;

/**
 * Thresholds of the lifecycle classification (see the README's "Lifecycle stages"). Evaluated at
 * the end of every complete month (and at the analysis date) on the product's level: its sale
 * lines per 1,000 sale lines of the whole store in the month. Measuring against the store makes
 * shop-wide seasonality (a December peak) and shop growth cancel out, so a product grows when it
 * takes a larger part of the shop's sales; lines rather than units keep one bulk order from
 * looking like a trend.
 * <ol>
 *   <li>discontinued: no sale in the last {@code discontinuedMonths} complete months;</li>
 *   <li>introduction: the product's age (months of 30.4375 days since the catalogue's launch
 *       date, else its first sale) is at most {@code introductionMonths}, or there is too little
 *       history to measure growth;</li>
 *   <li>growth: smoothed growth {@code g >= growthThreshold}, or {@code g >= growthThreshold/2}
 *       while the change of growth is at least {@code accelerationThreshold}; and the change is
 *       significant: z of a binomial test of an unchanged share of the store's lines between the
 *       two periods at least {@code minZ} (so noise in small products does not read as growth);</li>
 *   <li>decline: the mirror image with negative signs;</li>
 *   <li>maturity: otherwise.</li>
 * </ol>
 * Smoothed growth is the symmetric change {@code (recent - prior) / ((recent + prior) / 2)}
 * between the mean monthly units of the last {@code smoothingMonths} months and of the
 * {@code smoothingMonths} months before them; the change of growth is {@code g} minus {@code g}
 * {@code smoothingMonths} months earlier. {@code evidenceLines} is the number of sale lines (in
 * the two compared periods) at which the volume part of the confidence reaches 0.75.
 */
public record LifecycleRules(
        int discontinuedMonths,
        int introductionMonths,
        int smoothingMonths,
        double growthThreshold,
        double accelerationThreshold,
        double evidenceLines,
        int trendMonths,
        double seasonalAutocorrelation,
        double minZ,
        double declineFromPeak,
        int youngMonths) {

    /** The documented defaults. */
    public static LifecycleRules defaults() {
        return new LifecycleRules(3, 4, 3, 0.20, 0.20, 30, 36, 0.5, 2.0, 0.7, 12);
    }

    public LifecycleRules {
        require(discontinuedMonths >= 1, "discontinuedMonths", discontinuedMonths, ">= 1");
        require(introductionMonths >= 0, "introductionMonths", introductionMonths, ">= 0");
        require(smoothingMonths >= 1, "smoothingMonths", smoothingMonths, ">= 1");
        require(growthThreshold > 0, "growthThreshold", growthThreshold, "> 0");
        require(accelerationThreshold > 0, "accelerationThreshold", accelerationThreshold, "> 0");
        require(evidenceLines > 0, "evidenceLines", evidenceLines, "> 0");
        require(trendMonths >= 3, "trendMonths", trendMonths, ">= 3");
        require(seasonalAutocorrelation > 0 && seasonalAutocorrelation <= 1, "seasonalAutocorrelation",
                seasonalAutocorrelation, "in (0, 1]");
        require(minZ >= 0, "minZ", minZ, ">= 0");
        require(youngMonths >= introductionMonths, "youngMonths", youngMonths, ">= introductionMonths");
        require(declineFromPeak > 0 && declineFromPeak < 1, "declineFromPeak", declineFromPeak, "in (0, 1)");
    }

    private static void require(boolean ok, String field, Object value, String rule) {
        if (!ok) {
            throw new DataValidationException("lifecycle rules: " + field + " must be " + rule + " (" + value + ")");
        }
    }
}
