package io.clvanalytics.engine.lifecycle;

import java.time.LocalDate;

/**
 * One product's performance in one period. Revenue is net of returns (returns are negative
 * lines); {@code unitsSold} and {@code orders} count sale lines only.
 *
 * @param periodStart first day of the period (the window start for {@link Period#WINDOW})
 * @param averageSellingPrice gross sales revenue / units sold, null without sales
 * @param returnRate units returned / units sold, null without sales
 * @param revenueShare net revenue / net revenue of all products in the period
 * @param rank 1 for the product with the highest net revenue in the period
 * @param repeatPurchaseRate share of its buyers with two or more baskets holding it in the period
 * @param newCustomerRevenue net revenue from lines on or before the buyer's first purchase day in the store
 * @param returningCustomerRevenue net revenue from a known customer's later lines
 * @param guestRevenue net revenue from guest lines (no customer id); the three add up to {@code netRevenue}
 * @param cumulativeShare share of the period's positive revenue of this product and all ranked above it
 * @param abcClass A, B or C by cumulative share (a product with no positive revenue is C)
 */
public record ProductMetrics(
        LocalDate periodStart,
        long productId,
        String productCode,
        String name,
        double netRevenue,
        double grossRevenue,
        double returnedRevenue,
        double unitsSold,
        double unitsReturned,
        long orders,
        long customers,
        Double averageSellingPrice,
        Double returnRate,
        Double revenueShare,
        long rank,
        Double repeatPurchaseRate,
        double newCustomerRevenue,
        double returningCustomerRevenue,
        double guestRevenue,
        Double cumulativeShare,
        String abcClass) {

    /** Net units: sold minus returned. */
    public double netUnits() {
        return unitsSold - unitsReturned;
    }
}
