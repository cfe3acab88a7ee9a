package io.clvanalytics.engine.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataQualityTest {

    @TempDir
    Path dir;

    @Test
    void a_clean_store_passes_every_check() {
        try (Engine engine = Engine.open(dir.resolve("clean.duckdb"), QualityFixtures.CLOCK)) {
            QualityFixtures.clean(engine);
            QualityRun run = DataQuality.of(engine).run();
            for (CheckResult r : run.results()) {
                assertEquals(Status.PASS, r.status(), () -> r.name() + ": " + r.message() + " " + r.sample());
            }
            assertEquals(100.0, run.score());
            assertEquals(Catalogue.standard().size(), run.checksRun());
        }
    }

    @Test
    void injected_faults_fail_exactly_their_checks_with_the_injected_rows_in_the_samples() {
        try (Engine engine = Engine.open(dir.resolve("faults.duckdb"), QualityFixtures.CLOCK)) {
            QualityFixtures.clean(engine);
            QualityFixtures.duplicateRows(engine);
            QualityFixtures.orphans(engine);
            QualityFixtures.futureDate(engine);
            QualityFixtures.tenfoldDay(engine);
            QualityRun run = DataQuality.of(engine).run();

            assertEquals(new TreeSet<>(Set.of("uniqueness.duplicate_lines", "referential.transaction_customer",
                    "referential.transaction_product", "validity.future_date", "volume.daily_rows", "volume.daily_revenue")),
                    new TreeSet<>(run.named(Status.FAIL)), () -> summary(run));
            assertEquals(List.of(), run.named(Status.WARN), () -> summary(run));

            CheckResult dup = run.result("uniqueness.duplicate_lines").orElseThrow();
            assertEquals(3, dup.offendingRows());
            assertEquals(Set.of(List.of(10L, 900001L), List.of(20L, 900002L), List.of(30L, 900003L)),
                    Set.copyOf(dup.sample().stream().map(s -> List.of(((Number) s.get("first_id")).longValue(),
                            ((Number) s.get("last_id")).longValue())).toList()));
            for (var s : dup.sample()) {
                // The customer's own id (source_id) beside the internal one, as a user looks them up.
                assertEquals("C" + ((Number) s.get("customer_id")).longValue(), s.get("customer"), s.toString());
            }

            CheckResult cust = run.result("referential.transaction_customer").orElseThrow();
            assertEquals(2, cust.offendingRows());
            assertEquals(List.of(910001L, 910002L), ids(cust, "transaction_id"));
            CheckResult prod = run.result("referential.transaction_product").orElseThrow();
            assertEquals(List.of(910003L), ids(prod, "transaction_id"));

            CheckResult future = run.result("validity.future_date").orElseThrow();
            assertEquals(1, future.offendingRows());
            assertEquals(List.of(920001L), ids(future, "transaction_id"));

            CheckResult volume = run.result("volume.daily_rows").orElseThrow();
            assertEquals(1.0, volume.metric(), () -> volume.sample().toString());
            assertEquals(QualityFixtures.SPIKE_DAY, volume.sample().get(0).get("period"));
            CheckResult revenue = run.result("volume.daily_revenue").orElseThrow();
            assertEquals(QualityFixtures.SPIKE_DAY, revenue.sample().get(0).get("period"));
            assertTrue(run.score() < 100.0);
        }
    }

    @Test
    void two_runs_with_a_fault_fixed_in_between_show_the_fix_and_the_better_score() {
        try (Engine engine = Engine.open(dir.resolve("history.duckdb"), QualityFixtures.CLOCK)) {
            QualityFixtures.clean(engine);
            QualityFixtures.duplicateRows(engine);
            DataQuality dq = DataQuality.of(engine);
            QualityRun first = dq.run();
            assertEquals(List.of("uniqueness.duplicate_lines"), first.named(Status.FAIL), () -> summary(first));

            QualityFixtures.removeDuplicates(engine);
            QualityRun second = dq.run();
            assertEquals(List.of(), second.named(Status.FAIL));
            RunComparison cmp = dq.compareWithPrevious(second).orElseThrow();
            assertEquals(first.id(), cmp.previousRunId());
            assertEquals(List.of("uniqueness.duplicate_lines"), cmp.fixed());
            assertEquals(List.of(), cmp.newFailures());
            assertTrue(cmp.summary().startsWith("0 new failures since"), cmp.summary());

            assertEquals(List.of(first.score(), second.score()), dq.scoreHistory(10).stream().map(ScorePoint::score).toList());
            List<CheckPoint> history = dq.checkHistory("uniqueness.duplicate_lines", 10);
            assertEquals(List.of(Status.FAIL, Status.PASS), history.stream().map(CheckPoint::status).toList());
            assertEquals(List.of(3L, 0L), history.stream().map(CheckPoint::offendingRows).toList());

            QualityRun stored = dq.latestRun().orElseThrow();
            assertEquals(second.id(), stored.id());
            assertEquals(second.results().size(), stored.results().size());
            assertEquals(QualityFixtures.TODAY.minusDays(1), stored.windowEnd());
        }
    }

    private static List<Long> ids(CheckResult r, String column) {
        return r.sample().stream().map(s -> ((Number) s.get(column)).longValue()).toList();
    }

    private static String summary(QualityRun run) {
        StringBuilder sb = new StringBuilder();
        for (CheckResult r : run.results()) {
            if (r.status() != Status.PASS) {
                sb.append('\n').append(r.name()).append(' ').append(r.status()).append(' ').append(r.message());
            }
        }
        return sb.toString();
    }

    @SuppressWarnings("unused")
    private static Map<String, Object> first(CheckResult r) {
        return r.sample().get(0);
    }
}
