package io.clvanalytics.engine.retention;

import static io.clvanalytics.engine.retention.RetentionFixtures.purchase;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.Engine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionServiceTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-07-01T08:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    /** Six customers as of 2024-06-30; customer 5 only returned goods, so it is not scored. */
    private Engine smallShop() {
        Engine engine = Engine.open(dir.resolve("small.duckdb"), CLOCK);
        engine.inTransaction(c -> {
            RetentionFixtures.customers(c, 6);
            purchase(c, 1, "2024-01-10", 100, false);
            purchase(c, 1, "2024-03-10", 100, false);
            purchase(c, 1, "2024-06-30", 100, false);
            purchase(c, 2, "2023-01-05", 50, false);
            purchase(c, 3, "2024-06-01", 20, false);
            purchase(c, 3, "2024-06-15", 20, false);
            for (String d : new String[] {"2023-07-01", "2023-09-01", "2023-11-01", "2024-01-01"}) {
                purchase(c, 4, d, 200, false);
            }
            purchase(c, 5, "2024-05-01", -30, true);
            purchase(c, 6, "2024-02-01", 30, false);
            purchase(c, 6, "2024-02-01", -10, true);
            return null;
        });
        return engine;
    }

    private static void modelRuns(Engine engine) {
        engine.inTransaction(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO model_runs(id, model, fitted_at, time_unit, parameters_json) VALUES"
                        + " (1, 'bg_nbd', TIMESTAMP '2024-06-01 00:00:00', 'week', '{}'),"
                        + " (2, 'bg_nbd', TIMESTAMP '2024-07-01 00:00:00', 'week', '{}')");
                st.execute("INSERT INTO customer_scores(run_id, customer_id, p_alive, clv, scored_at) VALUES"
                        + " (1, 1, 0.5, 10, now()), (1, 2, 0.5, 10, now()),"
                        + " (2, 1, 0.9, 500, now()), (2, 2, 0.05, 300, now())");
            }
            return null;
        });
    }

    private static Map<Long, Map<String, Object>> scores(Engine engine, long runId) throws Exception {
        Map<Long, Map<String, Object>> out = new HashMap<>();
        try (Connection c = engine.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM retention_scores WHERE retention_run_id = " + runId)) {
            while (rs.next()) {
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
                }
                out.put(rs.getLong("customer_id"), row);
            }
        }
        return out;
    }

    @Test
    void churnIsOneMinusPAliveOfTheLatestModelRunAndTheFallbackIsFlagged() throws Exception {
        try (Engine engine = smallShop()) {
            modelRuns(engine);
            RetentionRun run = RetentionService.of(engine).score(RetentionSettings.defaults());
            assertEquals(2L, run.modelRunId(), "the latest model run is used");
            assertEquals(LocalDate.of(2024, 6, 30), run.asOf(), "as of the last purchase date");
            assertEquals(5, run.customers(), "customer 5 only returned goods");
            assertEquals(2, run.scoredByModel());
            assertEquals(3, run.scoredByFallback());
            Map<Long, Map<String, Object>> s = scores(engine, run.id());
            assertEquals(0.1, (double) s.get(1L).get("churn_probability"), 1e-12);
            assertEquals("model", s.get(1L).get("churn_source"));
            assertEquals(0.95, (double) s.get(2L).get("churn_probability"), 1e-12);
            assertEquals(0.95 * 300, (double) s.get(2L).get("value_at_risk"), 1e-9);
            // Customer 4: 4 purchase days over 365 days of tenure (mean gap 91.25), silent 181 days.
            assertEquals("recency_fallback", s.get(4L).get("churn_source"));
            assertEquals(1 - Math.exp(-181 / 91.25), (double) s.get(4L).get("churn_probability"), 1e-12);
            assertEquals(800.0, (double) s.get(4L).get("clv"), 1e-9, "one year of historical spend");
            assertEquals("historical_spend", s.get(4L).get("clv_source"));
            assertNull(s.get(4L).get("run_id"));
            assertEquals(2L, s.get(1L).get("run_id"));
            // Customer 6: the same-day return nets the purchase day to 20.
            assertEquals(20.0, (double) s.get(6L).get("monetary"), 1e-9);
        }
    }

    @Test
    void withoutAnyModelRunEveryCustomerIsScoredByTheRecencyFallback() throws Exception {
        try (Engine engine = smallShop()) {
            RetentionRun run = RetentionService.of(engine).score(RetentionSettings.defaults());
            assertNull(run.modelRunId());
            assertEquals(0, run.scoredByModel());
            scores(engine, run.id()).values().forEach(r -> assertEquals("recency_fallback", r.get("churn_source")));
        }
    }

    @Test
    void riskLevelsStatusesAndActionsFollowTheThresholdsAndRules() throws Exception {
        try (Engine engine = smallShop()) {
            modelRuns(engine);
            RetentionService service = RetentionService.of(engine);
            RetentionRun run = service.score(RetentionSettings.defaults().withValueAtRiskHigh(100.0));
            Map<Long, Map<String, Object>> s = scores(engine, run.id());
            assertEquals("low", s.get(1L).get("risk_level"));       // churn 0.10
            assertEquals("critical", s.get(2L).get("risk_level"));  // churn 0.95, value at risk 285 ≥ 100
            assertEquals("high", s.get(3L).get("risk_level"));      // churn 0.645, value at risk 25.8 < 100
            assertEquals("critical", s.get(4L).get("risk_level"));  // churn 0.863, value at risk 690
            assertEquals("active", s.get(1L).get("status"));
            assertEquals("churned", s.get(2L).get("status"));       // silent 542 days ≥ 180
            assertEquals("at risk", s.get(3L).get("status"));
            assertEquals("churned", s.get(4L).get("status"));       // silent 181 days
            assertEquals("personal win-back outreach", s.get(2L).get("action"));
            assertEquals(1, s.get(2L).get("action_priority"));
            String reason = (String) s.get(2L).get("action_reason");
            assertTrue(reason.contains("churn 0.95 from model") && reason.contains("value at risk 285.00 vs threshold 100.00")
                    && reason.contains("last purchase 542 days ago"), reason);
            try (Connection c = engine.connect(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT id, segment, status FROM customers ORDER BY id")) {
                int withStatus = 0;
                while (rs.next()) {
                    if (rs.getLong(1) == 5) {
                        assertNull(rs.getString(3), "a customer without purchases is not scored");
                    } else {
                        assertEquals(s.get(rs.getLong(1)).get("status"), rs.getString(3));
                        assertEquals(s.get(rs.getLong(1)).get("segment"), rs.getString(2));
                        withStatus++;
                    }
                }
                assertEquals(5, withStatus);
            }
            List<CustomerRetention> atRisk = service.atRisk(run.id(), 10);
            assertEquals(java.util.Set.of(2L, 3L, 4L, 6L), atRisk.stream().map(CustomerRetention::customerId)
                    .collect(java.util.stream.Collectors.toSet()), "high and critical risk only");
            for (int i = 1; i < atRisk.size(); i++) {
                CustomerRetention a = atRisk.get(i - 1);
                CustomerRetention b = atRisk.get(i);
                assertTrue(a.actionPriority() < b.actionPriority()
                        || a.actionPriority() == b.actionPriority() && a.valueAtRisk() >= b.valueAtRisk(),
                        "most urgent first, then by value at risk: " + atRisk);
            }
            assertEquals("C" + atRisk.get(0).customerId(), atRisk.get(0).sourceId());
            RetentionSummary summary = service.summary(run.id());
            assertEquals(5, summary.byStatus().stream().mapToLong(RetentionSummary.Group::customers).sum());
            assertEquals(2, summary.byRiskLevel().stream().filter(g -> g.name().equals("critical")).findFirst().orElseThrow().customers());
        }
    }

    @Test
    void customActionRulesAndSegmentMapsAreUsedAndBadOnesAreRejectedWithTheLine() throws Exception {
        SegmentMap twoSegments = SegmentMap.parse("[4-5][1-5]=recent\n[1-3][1-5]=older", "map.txt");
        ActionRules rules = ActionRules.parse("recent,*,*,thank you note,5,recent buyer\n*,*,*,call,2,older buyer",
                "rules.csv", twoSegments);
        try (Engine engine = smallShop()) {
            RetentionRun run = RetentionService.of(engine).score(RetentionSettings.defaults()
                    .withSegmentMap(twoSegments).withActionRules(rules));
            Map<Long, Map<String, Object>> s = scores(engine, run.id());
            assertEquals("recent", s.get(1L).get("segment"));
            assertEquals("thank you note", s.get(1L).get("action"));
            assertEquals("older", s.get(2L).get("segment"));
            assertEquals("call", s.get(2L).get("action"));
        }
        DataValidationException gap = assertThrows(DataValidationException.class,
                () -> SegmentMap.parse("[4-5][1-5]=recent\n[1-2][1-5]=older", "map.txt"));
        assertTrue(gap.problems().get(0).contains("cell R=3 F=1 has no segment"), gap.problems().toString());
        DataValidationException overlap = assertThrows(DataValidationException.class,
                () -> SegmentMap.parse("[3-5][1-5]=recent\n[1-3][1-5]=older", "map.txt"));
        assertTrue(overlap.problems().get(0).startsWith("map.txt:2: cell R=3 F=1 is already named"), overlap.problems().toString());
        DataValidationException badRisk = assertThrows(DataValidationException.class,
                () -> ActionRules.parse("*,severe,*,call,1,x\n*,*,*,none,9,y", "rules.csv", SegmentMap.standard()));
        assertEquals("rules.csv:1:2: risk_level must be * or one of low, medium, high, critical (severe)", badRisk.problems().get(0));
        DataValidationException noCatchAll = assertThrows(DataValidationException.class,
                () -> ActionRules.parse("champions,*,*,reward,4,x", "rules.csv", SegmentMap.standard()));
        assertTrue(noCatchAll.problems().get(0).contains("last rule must be *,*,*"));
    }

    @Test
    void engagementIsBetween0And100AndNoCustomerWhoDominatesAnotherScoresLower() throws Exception {
        try (Engine engine = Engine.open(dir.resolve("sim.duckdb"), CLOCK)) {
            RetentionFixtures.simulatedShop(engine, dir, 1500, 11);
            RetentionRun run = RetentionService.of(engine).score(RetentionSettings.defaults());
            try (Connection c = engine.connect(); Statement st = c.createStatement()) {
                String where = "retention_run_id = " + run.id();
                assertEquals(0, SegmentChecks.scalar(st, "SELECT count(*) FROM retention_scores WHERE " + where
                        + " AND NOT (engagement_score BETWEEN 0 AND 100)"));
                assertTrue(SegmentChecks.scalar(st, "SELECT count(DISTINCT engagement_score) FROM retention_scores WHERE " + where) > 100);
                long dominatingPairs = SegmentChecks.scalar(st, "SELECT count(*) FROM retention_scores a JOIN retention_scores b"
                        + " ON a.retention_run_id = b.retention_run_id AND a.customer_id <> b.customer_id"
                        + " AND a.recency_days <= b.recency_days AND a.frequency >= b.frequency AND a.monetary >= b.monetary"
                        + " AND a.tenure_days >= b.tenure_days AND a.recent_purchases >= b.recent_purchases"
                        + " AND a.prior_purchases <= b.prior_purchases WHERE a." + where);
                assertTrue(dominatingPairs > 10_000, "the check covers many pairs: " + dominatingPairs);
                assertEquals(0, SegmentChecks.scalar(st, "SELECT count(*) FROM retention_scores a JOIN retention_scores b"
                        + " ON a.retention_run_id = b.retention_run_id AND a.customer_id <> b.customer_id"
                        + " AND a.recency_days <= b.recency_days AND a.frequency >= b.frequency AND a.monetary >= b.monetary"
                        + " AND a.tenure_days >= b.tenure_days AND a.recent_purchases >= b.recent_purchases"
                        + " AND a.prior_purchases <= b.prior_purchases WHERE a." + where
                        + " AND a.engagement_score < b.engagement_score"), "monotone in every input");
            }
        }
    }

    @Test
    void engagementRisesWithRecencySpendAndARisingTrend() throws Exception {
        try (Engine engine = Engine.open(dir.resolve("eng.duckdb"), CLOCK)) {
            engine.inTransaction(c -> {
                RetentionFixtures.customers(c, 6);
                // 1 vs 2: same history, 2 bought more recently.
                purchase(c, 1, "2024-01-01", 50, false);
                purchase(c, 1, "2024-03-01", 50, false);
                purchase(c, 2, "2024-01-01", 50, false);
                purchase(c, 2, "2024-06-01", 50, false);
                // 3 vs 4: same days, 4 spent more.
                purchase(c, 3, "2024-01-01", 10, false);
                purchase(c, 3, "2024-05-01", 10, false);
                purchase(c, 4, "2024-01-01", 90, false);
                purchase(c, 4, "2024-05-01", 90, false);
                // 5 vs 6: same first and last day and count; 6's middle purchase is in the last 90 days.
                purchase(c, 5, "2023-12-01", 40, false);
                purchase(c, 5, "2024-03-15", 40, false);
                purchase(c, 5, "2024-06-30", 40, false);
                purchase(c, 6, "2023-12-01", 40, false);
                purchase(c, 6, "2024-05-15", 40, false);
                purchase(c, 6, "2024-06-30", 40, false);
                return null;
            });
            RetentionRun run = RetentionService.of(engine).score(RetentionSettings.defaults());
            Map<Long, Map<String, Object>> s = scores(engine, run.id());
            assertTrue(score(s, 2) > score(s, 1), "more recent");
            assertTrue(score(s, 4) > score(s, 3), "higher spend");
            assertTrue(score(s, 6) > score(s, 5), "rising trend");
        }
    }

    private static double score(Map<Long, Map<String, Object>> s, long id) {
        return (double) s.get(id).get("engagement_score");
    }

    @Test
    void aStoreWithoutPurchasesIsRefusedWithAClearMessage() {
        try (Engine engine = Engine.open(dir.resolve("empty.duckdb"), CLOCK)) {
            DataValidationException e = assertThrows(DataValidationException.class,
                    () -> RetentionService.of(engine).score(RetentionSettings.defaults()));
            assertTrue(e.getMessage().contains("no purchases"), e.getMessage());
        }
    }

    @Test
    void onlyTheConfiguredNumberOfRunsIsKept() throws Exception {
        try (Engine engine = smallShop()) {
            RetentionService service = RetentionService.of(engine);
            RetentionSettings keepTwo = new RetentionSettings(null, null, 180, 90, 0.3, 0.6, null, 0.8, 0.4, 0.8,
                    SegmentMap.standard(), ActionRules.defaults(), 2);
            service.score(keepTwo);
            service.score(keepTwo);
            RetentionRun third = service.score(keepTwo);
            assertEquals(third.id(), service.latestRun().orElseThrow().id());
            try (Connection c = engine.connect(); Statement st = c.createStatement()) {
                assertEquals(2, SegmentChecks.scalar(st, "SELECT count(DISTINCT retention_run_id) FROM retention_scores"));
            }
        }
    }
}
