package io.clvanalytics.engine.lifecycle;

import io.clvanalytics.engine.DataValidationException;

/**
 * Thresholds of the lifecycle classification (see the README's "Lifecycle stages"). Evaluated at
 * the end of every complete month (and at the analysis date) on the product's level: its sale
 * lines in the month divided by the shop's seasonal index of that calendar month (so a December
 * peak of the whole shop is not growth); lines rather than units keep one bulk order from looking
 * like a trend. First rule that matches:
 * <ol>
 *   <li>discontinued: no sale in the last {@code discontinuedMonths} complete months;</li>
 *   <li>introduction: the product's age (months of 30.4375 days since the catalogue's launch
 *       date, else its first sale) is at most {@code introductionMonths};</li>
 *   <li>growth: at most {@code youngMonths} old and the recent level at least
 *       {@code 1 + growthThreshold} times its mean level since launch;</li>
 *   <li>introduction: too little history to measure growth;</li>
 *   <li>growth: smoothed growth {@code g >= growthThreshold}, or {@code g >= growthThreshold/2}
 *       while the change of growth is at least {@code accelerationThreshold}; and the change is
 *       significant (z of a binomial test of the recent period's share of both periods' lines at
 *       least {@code minZ}) or the product is at most {@code youngMonths} old;</li>
 *   <li>decline: the mirror image with negative signs (always with the significance test);</li>
 *   <li>decline: the recent level at most {@code declineFromPeak} times the highest
 *       {@code 2 * smoothingMonths}-month level of the last year, with significantly fewer recent
 *       lines than that level expects (Poisson z at most {@code -minZ});</li>
 *   <li>maturity: otherwise.</li>
 * </ol>
 * Smoothed growth is the symmetric change {@code (recent - prior·m) / ((recent + prior·m) / 2)}
 * between the mean level of the last {@code smoothingMonths} months and of the
 * {@code smoothingMonths} months before them, {@code m} the median change of established products
 * in the same month; the change of growth is {@code g} minus {@code g} {@code smoothingMonths}
 * months earlier. {@code minZ} is 2.5 rather than 2 because every product is tested every month:
 * at 2, noise in small products read as growth or decline cost 1.5 points of accuracy on generated
 * stores (5 seeds, 300 products). {@code evidenceLines} is the number of sale lines (in
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
        return new LifecycleRules(3, 4, 3, 0.20, 0.20, 30, 36, 0.5, 2.5, 0.7, 12);
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
