package io.clvanalytics.engine.retention;

import java.util.List;

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

        /** The documented defaults. */
        public static Options defaults() {
            return new Options(CohortUnit.MONTH, 12, 20, RetentionService.SurvivalGrouping.SEGMENT, null, null, 50, 12, 0.10);
        }
    }
}
