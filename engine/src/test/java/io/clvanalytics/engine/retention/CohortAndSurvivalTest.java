package io.clvanalytics.engine.retention;

import static io.clvanalytics.engine.retention.RetentionFixtures.purchase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CohortAndSurvivalTest {

    private static final LocalDate AS_OF = LocalDate.of(2024, 4, 15);

    @TempDir
    Path dir;

    /**
     * January cohort: A buys Jan 5, Feb 10, Apr 2; B Jan 20, Mar 3; C Jan 31 only. February
     * cohort: D buys Feb 1, Feb 20 and Apr 30 (after the as-of date 2024-04-15, so ignored).
     */
    private Engine fourCustomers() {
        Engine engine = Engine.open(dir.resolve("cohorts.duckdb"));
        engine.inTransaction(c -> {
            RetentionFixtures.customers(c, 4);
            purchase(c, 1, "2024-01-05", 10, false);
            purchase(c, 1, "2024-02-10", 20, false);
            purchase(c, 1, "2024-04-02", 40, false);
            purchase(c, 2, "2024-01-20", 5, false);
            purchase(c, 2, "2024-03-03", 7, false);
            purchase(c, 3, "2024-01-31", 3, false);
            purchase(c, 4, "2024-02-01", 100, false);
            purchase(c, 4, "2024-02-20", 50, false);
            purchase(c, 4, "2024-04-30", 60, false);
            return null;
        });
        return engine;
    }

    @Test
    void monthlyCohortsCountActiveAndLaterCustomersRevenueAndFlagIncompletePeriods() {
        try (Engine engine = fourCustomers()) {
            CohortReport r = RetentionService.of(engine).cohorts(CohortUnit.MONTH, AS_OF, 24);
            List<CohortReport.Cell> cells = r.cells();
            assertEquals(4 + 3, cells.size(), "January: periods 0-3, February: periods 0-2");
            // cohort, size, period, active, retained-or-later, revenue, incomplete
            Object[][] expected = {
                {"2024-01-01", 3, 0, 3, 3, 18.0, false},
                {"2024-01-01", 3, 1, 1, 2, 20.0, false},
                {"2024-01-01", 3, 2, 1, 2, 7.0, false},
                {"2024-01-01", 3, 3, 1, 1, 40.0, true},
                {"2024-02-01", 1, 0, 1, 1, 150.0, false},
                {"2024-02-01", 1, 1, 0, 0, 0.0, false},
                {"2024-02-01", 1, 2, 0, 0, 0.0, true}};
            for (int i = 0; i < expected.length; i++) {
                CohortReport.Cell c = cells.get(i);
                Object[] e = expected[i];
                String at = "row " + i + " " + c;
                assertEquals(LocalDate.parse((String) e[0]), c.cohort(), at);
                assertEquals(((Integer) e[1]).longValue(), c.cohortSize(), at);
                assertEquals(e[2], c.period(), at);
                assertEquals(((Integer) e[3]).longValue(), c.activeCustomers(), at);
                assertEquals(((Integer) e[4]).longValue(), c.retainedOrLater(), at);
                assertEquals((double) e[5], c.revenue(), 1e-9, at);
                assertEquals(e[6], c.incomplete(), at);
                assertEquals(c.activeCustomers() / (double) c.cohortSize(), c.retentionRate(), 1e-12);
                assertEquals(c.retainedOrLater() / (double) c.cohortSize(), c.unboundedRetentionRate(), 1e-12);
                assertEquals(c.revenue() / c.cohortSize(), c.revenuePerOriginalCustomer(), 1e-12);
            }
            assertEquals(LocalDate.of(2024, 3, 1), cells.get(2).periodStart());
            assertEquals(2, RetentionService.of(engine).cohorts(CohortUnit.MONTH, AS_OF, 1).cells().stream()
                    .filter(c -> c.cohort().getMonthValue() == 1).count(), "max periods limits the table");
        }
    }

    @Test
    void weeklyCohortsStartOnMonday() {
        try (Engine engine = fourCustomers()) {
            CohortReport r = RetentionService.of(engine).cohorts(CohortUnit.WEEK, AS_OF, 3);
            assertEquals(LocalDate.of(2024, 1, 1), r.cells().get(0).cohort(), "2024-01-05 is in the week of Monday 2024-01-01");
            assertTrue(r.cells().stream().allMatch(c -> c.cohort().getDayOfWeek() == java.time.DayOfWeek.MONDAY));
            assertEquals(List.of(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 1, 15), LocalDate.of(2024, 1, 29)),
                    r.cells().stream().map(CohortReport.Cell::cohort).distinct().toList(),
                    "A (Fri Jan 5), B (Sat Jan 20), C (Wed Jan 31) and D (Thu Feb 1, same week as C)");
        }
    }

    @Test
    void survivalFromTheStoreEqualsKaplanMeierOnTheHandDerivedLifetimes() {
        try (Engine engine = fourCustomers()) {
            SurvivalReport s = RetentionService.of(engine).survival(AS_OF, 30, RetentionService.SurvivalGrouping.NONE,
                    CohortUnit.MONTH, null, null);
            // Days from first to last purchase; churned when silent ≥ 30 days on 2024-04-15:
            // A 88 (last Apr 2, silent 13: censored), B 43 (event), C 0 (event), D 19 (event).
            KaplanMeier.Curve expected = KaplanMeier.fit(new double[] {88, 43, 0, 19}, new boolean[] {false, true, true, true});
            assertEquals(expected.points(), s.overall().curve().points());
            assertEquals(0.75, s.overall().curve().survivalAt(0), 1e-12);
            assertEquals(0.25, s.overall().curve().survivalAt(50), 1e-12);
            assertEquals(19.0, s.overall().curve().median());
        }
    }

    @Test
    void survivalBySegmentComparesTheTwoLargestSegmentsWithALogRankTest() {
        try (Engine engine = Engine.open(dir.resolve("sim.duckdb"))) {
            RetentionFixtures.simulatedShop(engine, dir, 2000, 3);
            RetentionService service = RetentionService.of(engine);
            service.score(RetentionSettings.defaults());
            SurvivalReport s = service.survival(null, 180, RetentionService.SurvivalGrouping.SEGMENT, CohortUnit.MONTH, null, null);
            assertEquals(2000, s.groups().stream().mapToLong(g -> g.curve().subjects()).sum());
            assertNotNull(s.comparison());
            assertEquals(s.groups().get(0).name(), s.comparison().groupA());
            assertTrue(s.comparison().pValue() >= 0 && s.comparison().pValue() <= 1);
            SurvivalReport byCohort = service.survival(null, 180, RetentionService.SurvivalGrouping.COHORT, CohortUnit.MONTH,
                    "2023-01-01", "2023-06-01");
            assertEquals("2023-01-01", byCohort.comparison().groupA());
            assertFalse(byCohort.groups().isEmpty());
        }
    }

    @Test
    void contractualSbgIsFittedPerCohortOnFullyObservedPeriods() {
        try (Engine engine = Engine.open(dir.resolve("sim.duckdb"))) {
            RetentionFixtures.simulatedShop(engine, dir, 3000, 5);
            List<ContractualCohort> cohorts = RetentionService.of(engine).contractual(CohortUnit.MONTH, null, 90, 50, 24, 0.10);
            assertEquals(12, cohorts.size(), "one per month of the first simulated year");
            ContractualCohort first = cohorts.get(0);
            assertNotNull(first.fit(), first.note());
            // Periods used end at least 90 days before the last purchase date (2024-12-31): Jan 2023 .. Sep 2024 = 21.
            assertEquals(21, first.survivors().size());
            assertEquals(first.size(), first.survivors().get(0));
            assertEquals(25, first.projectedSurvival().size());
            assertTrue(first.derlNewCustomer() > 1, "a new customer is expected to stay more than one period");
            assertEquals(Math.pow(1.1, 1 / 12.0) - 1, first.discountRatePerPeriod(), 1e-12);
        }
    }

    @Test
    void theFullReportCarriesTheSameCohortsAndSbgFitsAsTheSeparateCalls() {
        try (Engine engine = Engine.open(dir.resolve("sim.duckdb"))) {
            RetentionFixtures.simulatedShop(engine, dir, 1500, 9);
            RetentionService service = RetentionService.of(engine);
            RetentionReport.Options options = RetentionReport.Options.defaults();
            RetentionReport report = service.report(RetentionSettings.defaults(), options);
            // Revenue sums may differ in the last bits (parallel aggregation order), so compare rounded.
            assertEquals(rounded(service.cohorts(CohortUnit.MONTH, null, options.maxPeriods())), rounded(report.cohorts()));
            assertEquals(service.contractual(CohortUnit.MONTH, null, 180, options.sbgMinCohortSize(), options.sbgHorizon(),
                    options.annualDiscountRate()), report.contractual());
            assertEquals(1500, report.summary().run().customers());
        }
    }

    private static List<String> rounded(CohortReport r) {
        return r.cells().stream().map(c -> String.format(java.util.Locale.ROOT, "%s %d %d %d %d %.6f %b", c.cohort(),
                c.cohortSize(), c.period(), c.activeCustomers(), c.retainedOrLater(), c.revenue(), c.incomplete())).toList();
    }
}
