package io.clvanalytics.engine.lifecycle;

import io.clvanalytics.engine.DataValidationException;

/**
 * Thresholds of the lifecycle classification (see the README's "Lifecycle stages"). Evaluated at
 * the end of every complete month on units sold per month:
 * <ol>
 *   <li>discontinued: no sale in the last {@code discontinuedMonths} complete months;</li>
 *   <li>introduction: the product's age (months since launch, the launch month being 1) is at
 *       most {@code introductionMonths};</li>
 *   <li>growth: smoothed growth {@code g >= growthThreshold}, or {@code g >= growthThreshold/2}
 *       while the change of growth is at least {@code accelerationThreshold};</li>
 *   <li>decline: the mirror image with negative signs;</li>
 *   <li>maturity: otherwise.</li>
 * </ol>
 * Smoothed growth is the symmetric change {@code (recent - prior) / ((recent + prior) / 2)}
 * between the mean monthly units of the last {@code smoothingMonths} months and of the
 * {@code smoothingMonths} months before them; the change of growth is {@code g} minus {@code g}
 * {@code smoothingMonths} months earlier. {@code evidenceUnits} is the number of units at which the
 * volume part of the confidence reaches one half.
 */
public record LifecycleRules(
        int discontinuedMonths,
        int introductionMonths,
        int smoothingMonths,
        double growthThreshold,
        double accelerationThreshold,
        double evidenceUnits,
        int trendMonths,
        double seasonalAutocorrelation) {

    /** The documented defaults. */
    public static LifecycleRules defaults() {
        return new LifecycleRules(3, 3, 3, 0.20, 0.20, 20, 36, 0.5);
    }

    public LifecycleRules {
        require(discontinuedMonths >= 1, "discontinuedMonths", discontinuedMonths, ">= 1");
        require(introductionMonths >= 0, "introductionMonths", introductionMonths, ">= 0");
        require(smoothingMonths >= 1, "smoothingMonths", smoothingMonths, ">= 1");
        require(growthThreshold > 0, "growthThreshold", growthThreshold, "> 0");
        require(accelerationThreshold > 0, "accelerationThreshold", accelerationThreshold, "> 0");
        require(evidenceUnits > 0, "evidenceUnits", evidenceUnits, "> 0");
        require(trendMonths >= 3, "trendMonths", trendMonths, ">= 3");
        require(seasonalAutocorrelation > 0 && seasonalAutocorrelation <= 1, "seasonalAutocorrelation",
                seasonalAutocorrelation, "in (0, 1]");
    }

    private static void require(boolean ok, String field, Object value, String rule) {
        if (!ok) {
            throw new DataValidationException("lifecycle rules: " + field + " must be " + rule + " (" + value + ")");
        }
    }
}
