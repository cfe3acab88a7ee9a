package io.clvanalytics.engine.retention;

import io.clvanalytics.engine.DataValidationException;
import java.util.List;
import java.util.Objects;

/**
 * Everything the retention manager answers in one object (what {@code clv retention --json}
 * prints and what reports and web pages render): the run's totals, the at-risk list with actions,
 * cohort retention, survival and the per-cohort sBG fits.
 */
public record RetentionReport(RetentionSummary summary, List<CustomerRetention> atRisk, CohortReport cohorts,
                              SurvivalReport survival, List<ContractualCohort> contractual) {

    /**
     * What to include besides the scores.
     *
     * @param cohortUnit month or week cohorts (default month)
     * @param maxPeriods periods after acquisition in the cohort table (default 12)
     * @param atRiskLimit customers in the at-risk list (default 20)
     * @param survivalBy grouping of the survival curves (default segment)
     * @param compareA first group of the log-rank test, null for the two largest groups
     * @param compareB second group of the log-rank test
     * @param sbgMinCohortSize smallest cohort the sBG model is fitted to (default 50)
     * @param sbgHorizon periods projected by sBG (default 12)
     * @param annualDiscountRate discount rate per year for DERL (default 0.10)
     */
    public record Options(CohortUnit cohortUnit, int maxPeriods, int atRiskLimit, RetentionService.SurvivalGrouping survivalBy,
                          String compareA, String compareB, int sbgMinCohortSize, int sbgHorizon, double annualDiscountRate) {

        public Options {
            Objects.requireNonNull(cohortUnit, "cohortUnit");
            Objects.requireNonNull(survivalBy, "survivalBy");
            check(maxPeriods >= 0, "--max-periods: must be >= 0 (" + maxPeriods + ")");
            check(atRiskLimit >= 0, "--limit: must be >= 0 (" + atRiskLimit + ")");
            check((compareA == null) == (compareB == null), "--compare: name two groups separated by a comma");
            check(sbgMinCohortSize >= 1, "--sbg-min-cohort: must be >= 1 (" + sbgMinCohortSize + ")");
            check(sbgHorizon >= 1, "--horizon: must be >= 1 (" + sbgHorizon + ")");
            check(annualDiscountRate > 0 && Double.isFinite(annualDiscountRate),
                    "--discount-rate: must be > 0 (" + annualDiscountRate + ")");
        }

        private static void check(boolean ok, String message) {
            if (!ok) {
                throw new DataValidationException(message);
            }
        }

        /** The documented defaults. */
        public static Options defaults() {
            return new Options(CohortUnit.MONTH, 12, 20, RetentionService.SurvivalGrouping.SEGMENT, null, null, 50, 12, 0.10);
        }
    }
}
