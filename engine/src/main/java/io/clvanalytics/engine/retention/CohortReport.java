package io.clvanalytics.engine.retention;

import java.time.LocalDate;
import java.util.List;

/**
 * Cohort retention: customers grouped by the {@link CohortUnit} of their first purchase, followed
 * period by period (period 0 is the acquisition period).
 *
 * <p>For each cohort and period: {@code activeCustomers} bought in that period and
 * {@code retentionRate} = active / cohort size (N-period retention, "returned in period n");
 * {@code retainedOrLater} bought in that period or any later one and {@code unboundedRetentionRate}
 * = that / cohort size ("returned in period n or later"); {@code revenue} is the net revenue of
 * the period and {@code revenuePerOriginalCustomer} = revenue / cohort size. A period that had not
 * ended by {@code asOf} is {@code incomplete}: its numbers will still grow.
 */
public record CohortReport(CohortUnit unit, LocalDate asOf, List<Cell> cells) {

    /** One cohort × period cell. */
    public record Cell(LocalDate cohort, long cohortSize, int period, LocalDate periodStart, long activeCustomers,
                       double retentionRate, long retainedOrLater, double unboundedRetentionRate, double revenue,
                       double revenuePerOriginalCustomer, boolean incomplete) {}
}
