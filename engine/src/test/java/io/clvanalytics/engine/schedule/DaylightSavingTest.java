package io.clvanalytics.engine.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.Engine;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A schedule at 02:30 Europe/Berlin across the March and October changes: one run a day, none doubled, none lost. */
class DaylightSavingTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @TempDir
    Path dir;

    @Test
    void aDailyRecurrenceAt0230FiresOnceEveryDayAcrossBothChangesOf2026() {
        Recurrence r = Recurrence.parse("--cron", "30 2 * * *", "Europe/Berlin");
        Map<LocalDate, List<ZonedDateTime>> byDay = new TreeMap<>();
        Instant t = Instant.parse("2026-03-01T00:00:00Z");
        Instant end = Instant.parse("2026-11-30T00:00:00Z");
        Instant previous = t;
        while (true) {
            Instant next = r.nextAfter(t).orElseThrow();
            if (next.isAfter(end)) {
                break;
            }
            assertTrue(next.isAfter(previous), "slots strictly increase");
            assertEquals(next, r.latestAtOrBefore(next).orElseThrow(), "the latest slot at a slot is that slot");
            assertEquals(t.equals(Instant.parse("2026-03-01T00:00:00Z")) ? r.latestAtOrBefore(t).orElseThrow() : t,
                    r.latestAtOrBefore(next.minusSeconds(1)).orElseThrow(), "backwards and forwards agree");
            ZonedDateTime local = next.atZone(BERLIN);
            byDay.computeIfAbsent(local.toLocalDate(), d -> new ArrayList<>()).add(local);
            previous = next;
            t = next;
        }
        LocalDate day = LocalDate.of(2026, 3, 1);
        for (Map.Entry<LocalDate, List<ZonedDateTime>> e : byDay.entrySet()) {
            assertEquals(day, e.getKey(), "no day lost");
            assertEquals(1, e.getValue().size(), "one slot on " + e.getKey() + ": " + e.getValue());
            day = day.plusDays(1);
        }
        assertEquals(LocalDate.of(2026, 11, 30), day);
        // 29 March: 02:30 does not exist, the slot is 03:30 summer time. 25 October: 02:30 twice, the first one.
        assertEquals(ZonedDateTime.parse("2026-03-29T03:30+02:00[Europe/Berlin]"), byDay.get(LocalDate.of(2026, 3, 29)).get(0));
        assertEquals(Instant.parse("2026-10-25T00:30:00Z"), byDay.get(LocalDate.of(2026, 10, 25)).get(0).toInstant());
        assertEquals(Instant.parse("2026-10-26T01:30:00Z"), byDay.get(LocalDate.of(2026, 10, 26)).get(0).toInstant());
    }

    @Test
    void theSchedulerRunsThe0230ScheduleOncePerDayAroundBothChangesWithTheClockTickingEveryTenMinutes() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-03-27T12:00:00Z"));
        try (Engine engine = Engine.open(dir.resolve("store.duckdb"), clock)) {
            ScheduleFixtures.addCustomers(engine, 3);
            Scheduler scheduler = Scheduler.of(engine, ReportArchive.resolve(null, engine.file()), Scheduler.Options.defaults());
            String id = scheduler.schedules().create(ScheduleSpec.of("customer-list", "30 2 * * *", "Europe/Berlin", "ana")
                    .withFormats(List.of(io.clvanalytics.engine.jasper.ReportFormat.CSV))).id();
            tick(clock, scheduler, Instant.parse("2026-03-31T12:00:00Z"));
            clock.set(Instant.parse("2026-10-23T12:00:00Z"));
            scheduler.schedules().setPaused(id, true);
            scheduler.schedules().setPaused(id, false);
            tick(clock, scheduler, Instant.parse("2026-10-27T12:00:00Z"));
            List<ZonedDateTime> slots = scheduler.schedules().runs(id, 100).stream()
                    .map(run -> run.slot().atZone(BERLIN)).sorted().toList();
            assertEquals(List.of(
                    ZonedDateTime.parse("2026-03-28T02:30+01:00[Europe/Berlin]"),
                    ZonedDateTime.parse("2026-03-29T03:30+02:00[Europe/Berlin]"),
                    ZonedDateTime.parse("2026-03-30T02:30+02:00[Europe/Berlin]"),
                    ZonedDateTime.parse("2026-03-31T02:30+02:00[Europe/Berlin]"),
                    ZonedDateTime.parse("2026-10-24T02:30+02:00[Europe/Berlin]"),
                    ZonedDateTime.parse("2026-10-25T02:30+02:00[Europe/Berlin]"),
                    ZonedDateTime.parse("2026-10-26T02:30+01:00[Europe/Berlin]"),
                    ZonedDateTime.parse("2026-10-27T02:30+01:00[Europe/Berlin]")), slots);
            assertEquals(8, scheduler.schedules().files(id).size());
            assertTrue(scheduler.schedules().files(id).stream().anyMatch(f -> f.fileName().equals("customer-list_2026-10-25T0230+0200.csv")));
            assertTrue(scheduler.schedules().files(id).stream().anyMatch(f -> f.fileName().equals("customer-list_2026-03-29T0330+0200.csv")));
        }
    }

    private static void tick(TestClock clock, Scheduler scheduler, Instant until) {
        while (clock.instant().isBefore(until)) {
            clock.advance(Duration.ofMinutes(10));
            scheduler.runDue();
        }
    }

    @Test
    void simpleFormsAndBadExpressionsAreExplained() {
        assertEquals("0 7 * * 1", Recurrence.parse("--cron", "every Monday at 07:00", "UTC").expression());
        assertEquals("30 6 * * 1-5", Recurrence.parse("--cron", "every weekday at 6:30", "UTC").expression());
        assertEquals("0 8 1 * *", Recurrence.parse("--cron", "every month on day 1 at 08:00", "UTC").expression());
        assertEquals("* * * * *", Recurrence.parse("--cron", "every minute", "UTC").expression());
        DataValidationException bad = assertThrows(DataValidationException.class, () -> Recurrence.parse("--cron", "61 * * * *", "UTC"));
        assertTrue(bad.getMessage().startsWith("--cron: \"61 * * * *\" is not a five-field cron expression"), bad.getMessage());
        DataValidationException zone = assertThrows(DataValidationException.class, () -> Recurrence.parse("--cron", "0 7 * * *", "Mars/Olympus"));
        assertTrue(zone.getMessage().contains("--zone: \"Mars/Olympus\" is not a time-zone id"), zone.getMessage());
        assertThrows(DataValidationException.class, () -> Recurrence.parse("--cron", "every monday at 25:00", "UTC"));
    }
}
