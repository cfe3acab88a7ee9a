package io.clvanalytics.engine.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.generate.DemoDataGenerator;
import io.clvanalytics.engine.generate.GeneratorConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The suite on the demo generator's data (20,000 customers, the default `make run` size): it
 * passes; known faults injected with SQL fail exactly their checks with the injected rows in the
 * samples; fixing one shows in the comparison with the previous run.
 */
class GeneratedDataQualityTest {

    private static final LocalDate SPIKE_DAY = LocalDate.of(2025, 6, 11);

    @TempDir
    Path dir;

    @Test
    void generated_data_passes_and_injected_faults_fail_exactly_their_checks_until_fixed() {
        GeneratorConfig cfg = GeneratorConfig.defaults(20_000, 42);
        LocalDate today = cfg.end().plusDays(1);
        Clock clock = Clock.fixed(today.atTime(8, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
        try (Engine engine = Engine.open(dir.resolve("demo.duckdb"), clock)) {
            DemoDataGenerator.generate(engine, cfg, DemoDataGenerator.ProgressListener.NONE, 2);
            DataQuality dq = DataQuality.of(engine);

            QualityRun clean = dq.run();
            assertEquals(List.of(), clean.named(Status.FAIL), () -> describe(clean));
            assertEquals(List.of(), clean.named(Status.ERROR), () -> describe(clean));
            assertTrue(clean.score() >= 95.0, () -> describe(clean));

            long maxId = QualityFixtures.count(engine, "SELECT max(id) FROM transactions");
            // 30 purchase lines loaded a second time under new ids
            QualityFixtures.exec(engine, "INSERT INTO transactions SELECT id + " + maxId + ", customer_id, product_id, order_id,"
                    + " date, ts, quantity, unit_price, amount, currency, country, is_return, batch_id, source_line FROM transactions"
                    + " WHERE NOT is_return AND date = DATE '2024-03-05' ORDER BY id LIMIT 30");
            // orphans: two lines of a customer and one of a product that do not exist
            QualityFixtures.exec(engine, "INSERT INTO transactions VALUES"
                    + " (" + (maxId * 3 + 1) + ", 99999999, 1, 'ORPH-1', DATE '2025-09-01', NULL, 1, 10, 10, 'USD', 'Germany', FALSE, 1, NULL),"
                    + " (" + (maxId * 3 + 2) + ", 99999999, 2, 'ORPH-2', DATE '2025-09-02', NULL, 2, 10, 20, 'USD', 'Germany', FALSE, 1, NULL),"
                    + " (" + (maxId * 3 + 3) + ", 1, 88888888, 'ORPH-3', DATE '2025-09-03', NULL, 1, 5, 5, 'USD', 'Germany', FALSE, 1, NULL)");
            // a line dated ten days after today; its customer's last date follows it as an importer would set it
            QualityFixtures.exec(engine, "INSERT INTO transactions VALUES (" + (maxId * 3 + 4) + ", 1, 1, 'FUT-1', DATE '"
                    + today.plusDays(10) + "', NULL, 1, 10, 10, 'USD', 'Germany', FALSE, 1, NULL);\n"
                    + "UPDATE customers SET last_transaction_date = DATE '" + today.plusDays(10) + "' WHERE id = 1");
            // a day with ten times its volume: nine more copies of its purchases as new orders
            QualityFixtures.exec(engine, "INSERT INTO transactions SELECT " + (maxId * 4) + " + c.i * 100000 + row_number() OVER (),"
                    + " customer_id, product_id, 'SPIKE-' || c.i || '-' || order_id, date, ts, quantity, unit_price, amount, currency,"
                    + " country, FALSE, batch_id, NULL FROM transactions t, range(1, 10) c(i)"
                    + " WHERE t.date = DATE '" + SPIKE_DAY + "' AND NOT t.is_return");

            QualityRun faulty = dq.run();
            assertEquals(new TreeSet<>(Set.of("uniqueness.duplicate_lines", "referential.transaction_customer",
                    "referential.transaction_product", "validity.future_date", "volume.daily_rows", "volume.daily_revenue")),
                    new TreeSet<>(faulty.named(Status.FAIL)), () -> describe(faulty));

            CheckResult dup = faulty.result("uniqueness.duplicate_lines").orElseThrow();
            long coincidental = clean.result("uniqueness.duplicate_lines").orElseThrow().offendingRows();
            assertEquals(30 + coincidental, dup.offendingRows());
            Set<Long> injected = new HashSet<>();
            for (var s : dup.sample()) {
                for (Object id : (List<?>) s.get("transaction_ids")) {
                    if (((Number) id).longValue() > maxId) {
                        injected.add(((Number) id).longValue());
                    }
                }
            }
            assertTrue(injected.size() >= Math.min(10, DataQuality.DEFAULT_SAMPLE_SIZE - coincidental), () -> dup.sample().toString());

            assertEquals(List.of(maxId * 3 + 1, maxId * 3 + 2), ids(faulty, "referential.transaction_customer"));
            assertEquals(List.of(maxId * 3 + 3), ids(faulty, "referential.transaction_product"));
            assertEquals(List.of(maxId * 3 + 4), ids(faulty, "validity.future_date"));
            assertEquals(SPIKE_DAY, faulty.result("volume.daily_rows").orElseThrow().sample().get(0).get("period"));
            assertEquals(1.0, faulty.result("volume.daily_rows").orElseThrow().metric());
            assertEquals(SPIKE_DAY, faulty.result("volume.daily_revenue").orElseThrow().sample().get(0).get("period"));

            // fix the orphans, run again: the comparison names them as fixed
            QualityFixtures.exec(engine, "DELETE FROM transactions WHERE customer_id = 99999999 OR product_id = 88888888");
            QualityRun fixed = dq.run();
            RunComparison cmp = dq.compareWithPrevious(fixed).orElseThrow();
            assertEquals(List.of("referential.transaction_customer", "referential.transaction_product"), cmp.fixed());
            assertEquals(List.of(), cmp.newFailures());
            assertTrue(fixed.score() > faulty.score());
            assertEquals(List.of(Status.PASS, Status.FAIL, Status.PASS),
                    dq.checkHistory("referential.transaction_customer", 10).stream().map(CheckPoint::status).toList());
        }
    }

    private static List<Long> ids(QualityRun run, String check) {
        return run.result(check).orElseThrow().sample().stream().map(s -> ((Number) s.get("transaction_id")).longValue()).toList();
    }

    private static String describe(QualityRun run) {
        StringBuilder sb = new StringBuilder();
        for (CheckResult r : run.results()) {
            if (r.status() != Status.PASS) {
                sb.append('\n').append(r.name()).append(' ').append(r.status()).append(' ').append(r.message())
                        .append(' ').append(r.sample().isEmpty() ? "" : r.sample().get(0));
            }
        }
        return sb.toString();
    }
}
