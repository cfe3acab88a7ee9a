package io.clvanalytics.engine.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchedulerTest {

    private static final Instant START = Instant.parse("2026-12-07T06:00:20Z");

    @TempDir
    Path dir;

    private Scheduler scheduler(Engine engine) {
        return Scheduler.of(engine, ReportArchive.resolve(null, engine.file()), Scheduler.Options.defaults());
    }

    private void tickMinutes(TestClock clock, Scheduler scheduler, int minutes) {
        for (int i = 0; i < minutes; i++) {
            clock.advance(Duration.ofMinutes(1));
            scheduler.runDue();
        }
    }

    @Test
    void anEveryMinuteScheduleMakesOneFilePerMinuteAcrossARestartAndRunsTheMissedSlotOnce() throws Exception {
        TestClock clock = new TestClock(START);
        Path db = dir.resolve("store.duckdb");
        Path archive = dir.resolve("reports");
        String id;
        try (Engine engine = Engine.open(db, clock)) {
            ScheduleFixtures.addCustomers(engine, 25);
            Scheduler scheduler = scheduler(engine);
            id = scheduler.schedules().create(ScheduleSpec.of("customer-list", "* * * * *", "Europe/Berlin", "ana")).id();
            tickMinutes(clock, scheduler, 10);
            List<Path> files = ScheduleFixtures.archivedFiles(archive);
            assertEquals(10, files.size(), "one file per minute: " + files);
            for (Path f : files) {
                assertEquals(4 + 1 + 25, ScheduleFixtures.xlsxRows(f), "title block, header and 25 customers in " + f);
            }
            assertEquals("customer-list_2026-12-07T0701+0100.xlsx", files.get(0).getFileName().toString());
        }
        // Down while the slot at 06:11 falls; back at 06:12:20 with a fresh process (scheduler).
        clock.advance(Duration.ofMinutes(2));
        try (Engine engine = Engine.open(db, clock)) {
            Scheduler scheduler = scheduler(engine);
            List<Scheduler.Outcome> atStart = scheduler.runDue();
            assertEquals(List.of(Instant.parse("2026-12-07T06:11:00Z"), Instant.parse("2026-12-07T06:12:00Z")),
                    atStart.stream().map(Scheduler.Outcome::slot).toList(), "the missed slot and the current one");
            assertTrue(atStart.get(0).note().contains("missed"), atStart.get(0).note());
            tickMinutes(clock, scheduler, 8);
            List<Path> files = ScheduleFixtures.archivedFiles(archive);
            assertEquals(20, files.size(), "20 minutes, 20 files: " + ScheduleFixtures.names(files));
            Set<String> names = new HashSet<>(ScheduleFixtures.names(files));
            assertEquals(20, names.size());
            List<ScheduleRun> runs = scheduler.schedules().runs(id, 100);
            assertEquals(20, runs.size());
            assertTrue(runs.stream().allMatch(r -> r.status() == RunStatus.SUCCEEDED && r.attempts() == 1), runs.toString());
            assertEquals(20, runs.stream().map(ScheduleRun::slot).distinct().count(), "one run per slot");
            for (ArchivedFile f : scheduler.schedules().files(id)) {
                Path p = archive.resolve(id).resolve(f.fileName());
                assertEquals(Files.size(p), f.sizeBytes());
                assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))), f.sha256());
            }
            // Ticking again at the same moment changes nothing.
            assertTrue(scheduler.runDue().isEmpty());
        }
    }

    @Test
    void withPolicySkipAMissedSlotIsRecordedAsSkippedAndNotRun() throws Exception {
        TestClock clock = new TestClock(START);
        Path db = dir.resolve("store.duckdb");
        String id;
        try (Engine engine = Engine.open(db, clock)) {
            ScheduleFixtures.addCustomers(engine, 5);
            Scheduler scheduler = scheduler(engine);
            id = scheduler.schedules().create(ScheduleSpec.of("customer-list", "every minute", "UTC", "ana")
                    .withMissedPolicy(MissedSlotPolicy.SKIP)).id();
            tickMinutes(clock, scheduler, 10);
        }
        clock.advance(Duration.ofMinutes(2));
        try (Engine engine = Engine.open(db, clock)) {
            Scheduler scheduler = scheduler(engine);
            scheduler.runDue();
            tickMinutes(clock, scheduler, 8);
            assertEquals(19, ScheduleFixtures.archivedFiles(dir.resolve("reports")).size());
            List<ScheduleRun> runs = scheduler.schedules().runs(id, 100);
            List<ScheduleRun> skipped = runs.stream().filter(r -> r.status() == RunStatus.SKIPPED).toList();
            assertEquals(1, skipped.size(), runs.toString());
            assertEquals(Instant.parse("2026-12-07T06:11:00Z"), skipped.get(0).slot());
            assertTrue(skipped.get(0).note().contains("policy skip"), skipped.get(0).note());
        }
    }

    @Test
    void aFailingReportIsRetriedWithBackoffThenFailedWithItsReasonAndTheNextSlotStillRuns() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-12-07T05:59:00Z"));
        try (Engine engine = Engine.open(dir.resolve("store.duckdb"), clock)) {
            ScheduleFixtures.addCustomers(engine, 5);
            Scheduler scheduler = scheduler(engine);
            Schedules schedules = scheduler.schedules();
            // customer-profile requires the parameter "customer": every attempt fails.
            String id = schedules.create(ScheduleSpec.of("customer-profile", "0 * * * *", "UTC", "ana")).id();
            clock.advance(Duration.ofMinutes(1));
            List<Scheduler.Outcome> first = scheduler.runDue();
            assertEquals(RunStatus.RETRYING, first.get(0).status());
            assertTrue(first.get(0).error().contains("customer"), first.get(0).error());
            clock.advance(Duration.ofSeconds(59));
            assertTrue(scheduler.runDue().isEmpty(), "no retry before the backoff of 1 minute");
            clock.advance(Duration.ofSeconds(1));
            assertEquals(RunStatus.RETRYING, scheduler.runDue().get(0).status());
            clock.advance(Duration.ofMinutes(2));
            Scheduler.Outcome last = scheduler.runDue().get(0);
            assertEquals(RunStatus.FAILED, last.status());
            assertEquals(3, last.attempts());
            ScheduleRun failed = schedules.runs(id, 1).get(0);
            assertTrue(failed.error().contains("--param customer: template customer-profile requires it"), failed.error());
            assertTrue(failed.error().contains("3 of 3 attempts"), failed.error());

            clock.advance(Duration.ofMinutes(57));
            Scheduler.Outcome next = scheduler.runDue().get(0);
            assertEquals(Instant.parse("2026-12-07T07:00:00Z"), next.slot(), "the next slot runs");
            assertEquals(1, next.attempts());

            // With the parameter given, the slot after that succeeds.
            schedules.update(id, ScheduleSpec.of("customer-profile", "0 * * * *", "UTC", "ana").withParameters(Map.of("customer", "C3")));
            clock.advance(Duration.ofHours(1));
            List<Scheduler.Outcome> after = scheduler.runDue();
            Scheduler.Outcome fixed = after.stream().filter(o -> o.slot().equals(Instant.parse("2026-12-07T08:00:00Z"))).findFirst().orElseThrow();
            assertEquals(RunStatus.SUCCEEDED, fixed.status());
            assertEquals(1, fixed.files().size());
        }
    }

    @Test
    void keepRemovesTheFilesOfOlderRunsAndSkipIfEmptyWritesNothingForAnEmptyList() throws Exception {
        TestClock clock = new TestClock(START);
        try (Engine engine = Engine.open(dir.resolve("store.duckdb"), clock)) {
            ScheduleFixtures.addCustomers(engine, 5);
            Scheduler scheduler = scheduler(engine);
            String kept = scheduler.schedules().create(ScheduleSpec.of("customer-list", "* * * * *", "UTC", "ana").withKeepRuns(3)).id();
            String empty = scheduler.schedules().create(ScheduleSpec.of("customer-list", "* * * * *", "UTC", "ana")
                    .withSkipIfEmpty(true).withParameters(Map.of("segment", "no such segment"))).id();
            tickMinutes(clock, scheduler, 5);
            Path archive = dir.resolve("reports");
            assertEquals(3, ScheduleFixtures.archivedFiles(archive.resolve(kept)).size());
            assertEquals(3, scheduler.schedules().files(kept).size());
            assertEquals(List.of(), ScheduleFixtures.archivedFiles(archive.resolve(empty)));
            List<ScheduleRun> runs = scheduler.schedules().runs(empty, 10);
            assertEquals(5, runs.size());
            assertTrue(runs.stream().allMatch(r -> r.status() == RunStatus.SKIPPED && r.note().contains("no rows")), runs.toString());
            assertNotNull(runs.get(0).finished());
        }
    }
}
