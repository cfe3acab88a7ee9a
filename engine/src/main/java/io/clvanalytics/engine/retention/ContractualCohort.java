package io.clvanalytics.engine.retention;

import java.time.LocalDate;
import java.util.List;

/**
 * The sBG model fitted to one acquisition cohort. {@code survivors[n]} counts cohort members who
 * bought in period n or later, for periods that ended at least the inactivity window before the
 * as-of date (so a member silent since then counts as lost). When the cohort cannot be fitted
 * {@code fit} is null and {@code note} says why.
 *
 * @param projectedSurvival S(t) for t = 0..horizon
 * @param projectedRetention r(t) for t = 1..horizon
 * @param derlNewCustomer discounted expected residual lifetime (in periods) of a customer who has
 *     just joined (no renewals yet) at the per-period discount rate {@code discountRatePerPeriod}
 */
public record ContractualCohort(LocalDate cohort, long size, List<Long> survivors, ShiftedBetaGeometric.Fit fit,
                                List<Double> projectedSurvival, List<Double> projectedRetention,
                                double discountRatePerPeriod, Double derlNewCustomer, String note) {}
