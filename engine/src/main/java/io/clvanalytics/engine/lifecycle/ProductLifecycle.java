package io.clvanalytics.engine.lifecycle;

import java.time.LocalDate;
import java.util.List;

/**
 * A product's lifecycle and sales trend as of {@code asOf} (see {@link LifecycleRules} for the
 * stage rules). Growth figures are on the product's share of the store's sale lines per month,
 * trend figures on net revenue per month over the last {@code trendMonths} complete months.
 *
 * @param ageMonths months (of 30.4375 days) from launch to {@code asOf}
 * @param smoothedLevel the product's sale lines per 1,000 sale lines of the store, mean of the last
 *     {@link LifecycleRules#smoothingMonths()} complete months
 * @param growth smoothed growth of that level (see {@link LifecycleRules})
 * @param growthChange change of growth over the last {@link LifecycleRules#smoothingMonths()} months
 * @param confidence in [0, 1]: how clearly the data put the product in its stage
 * @param trendSlope Theil-Sen slope of monthly net revenue (currency per month), null under 3 months
 * @param trendPValue two-sided Mann-Kendall p-value of a monotonic trend, null under 3 months
 * @param seasonal true when the detrended series correlates with itself a year earlier at least
 *     at {@link LifecycleRules#seasonalAutocorrelation()}; null with under 24 months of history
 * @param series the monthly series (empty in whole-catalogue results)
 * @param history stage changes, oldest first (empty in whole-catalogue results)
 */
public record ProductLifecycle(
        long productId,
        String productCode,
        String name,
        LocalDate asOf,
        String stage,
        double confidence,
        LocalDate launchDate,
        LocalDate lastSaleDate,
        double ageMonths,
        int monthsWithoutSales,
        Double smoothedLevel,
        Double growth,
        Double growthChange,
        Double peakSmoothedLevel,
        int trendMonths,
        Double trendSlope,
        Double trendPValue,
        Double momGrowth,
        Double yoyGrowth,
        Boolean seasonal,
        Double lag12Autocorrelation,
        List<TrendPoint> series,
        List<StageChange> history) {

    /** {@code up}, {@code down} or {@code flat}: the slope's sign when its p-value is below 0.05. */
    public String trendDirection() {
        if (trendSlope == null || trendPValue == null || trendPValue >= 0.05 || trendSlope == 0) {
            return "flat";
        }
        return trendSlope > 0 ? "up" : "down";
    }

    ProductLifecycle withDetails(List<TrendPoint> s, List<StageChange> h) {
        return new ProductLifecycle(productId, productCode, name, asOf, stage, confidence, launchDate, lastSaleDate,
                ageMonths, monthsWithoutSales, smoothedLevel, growth, growthChange, peakSmoothedLevel, trendMonths,
                trendSlope, trendPValue, momGrowth, yoyGrowth, seasonal, lag12Autocorrelation, List.copyOf(s), List.copyOf(h));
    }
}
