package io.clvanalytics.engine.lifecycle;

import java.time.LocalDate;

/**
 * One complete month of a product's sales series (months without sales are present with zeros).
 *
 * @param revenueMovingAverage mean net revenue of this and the two previous months
 * @param momGrowth net revenue / previous month's - 1, null when the previous month had none
 * @param yoyGrowth net revenue / the same month a year earlier - 1, null without that history
 * @param stage the lifecycle stage evaluated at the end of this month
 */
public record TrendPoint(LocalDate month, double netRevenue, double unitsSold, double revenueMovingAverage,
                         Double momGrowth, Double yoyGrowth, String stage, double stageConfidence) {}
