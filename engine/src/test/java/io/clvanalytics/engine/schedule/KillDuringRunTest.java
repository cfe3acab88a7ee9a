package io.clvanalytics.engine.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a process while it runs a due slot, at several moments: after a restart that
 * slot has completed exactly once, and no half-written file exists under a final name.
 */
class KillDuringRunTest {

    private static final int CUSTOMERS = 20_000;
    private static final Instant SLOT = Instant.parse("2026-12-07T06:00:00Z");
    /** The child's and the restart's clock: the slot at 06:00 is due (on time). */
    private static final Instant NOW = SLOT.plusSeconds(20);

    @TempDir
    Path dir;

    /** Runs the due slots of the store args[0] with the clock fixed at args[1], then exits. */
    public static final class Child {
        public static void main(String[] args) {
            Clock clock = Clock.fixed(Instant.parse(args[1]), ZoneOffset.UTC);
            try (Engine engine = Engine.open(Path.of(args[0]), clock)) {
                Scheduler scheduler = Scheduler.of(engine, ReportArchive.resolve(null, engine.file()), Scheduler.Options.defaults());
                System.out.println(scheduler.runDue());
            }
        }
    }

    @Test
    void aKilledRunIsRedoneOnceAfterRestartAndLeavesNoPartialFileUnderAFinalName() throws Exception {
        Path reference = store("reference");
        long start = System.nanoTime();
        Process whole = child(reference, "reference");
        assertEquals(0, whole.waitFor(), "the uninterrupted run succeeds");
        long wholeMillis = (System.nanoTime() - start) / 1_000_000;
        assertSlotDoneOnce(reference);

        List<String> outcomes = new ArrayList<>();
        int interrupted = 0;
        for (double fraction : new double[] {0.5, 0.75, 0.95}) {
            long delayMillis = Math.round(fraction * wholeMillis);
            Path db = store("kill-" + delayMillis);
            Process child = child(db, Long.toString(delayMillis));
            boolean finished = child.waitFor(delayMillis, TimeUnit.MILLISECONDS);
            if (!finished) {
                child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no cleanup
                child.waitFor();
            }
            String state = runState(db);
            try (Engine engine = Engine.open(db, Clock.fixed(NOW, ZoneOffset.UTC))) {
                Scheduler scheduler = Scheduler.of(engine, ReportArchive.resolve(null, engine.file()), Scheduler.Options.defaults());
                Scheduler.Recovery recovery = scheduler.recover();
                scheduler.runDue();
                if (recovery.interruptedRuns() > 0) {
                    interrupted++;
                }
                outcomes.add(delayMillis + " ms: " + (finished ? "finished" : "killed") + ", run " + state + ", " + recovery);
            }
            assertSlotDoneOnce(db);
        }
        System.out.println("kill moments: " + outcomes);
        assertTrue(interrupted > 0, "at least one kill fell while the run was under way (a whole run took " + wholeMillis
                + " ms): " + outcomes);
    }

    /** A store with customers and one every-minute schedule created just before the slot. */
    private Path store(String name) throws Exception {
        Path db = dir.resolve(name).resolve("store.duckdb");
        try (Engine engine = Engine.open(db, Clock.fixed(SLOT.minusSeconds(30), ZoneOffset.UTC))) {
            ScheduleFixtures.addCustomers(engine, CUSTOMERS);
            Schedules.of(engine).create(ScheduleSpec.of("customer-list", "* * * * *", "Europe/Berlin", "ana"));
        }
        return db;
    }

    /** The status of the slot's run as the killed process left it ("none" before it was claimed). */
    private static String runState(Path db) throws Exception {
        try (Engine engine = Engine.open(db, Clock.fixed(NOW, ZoneOffset.UTC))) {
            Schedules schedules = Schedules.of(engine);
            String id = schedules.list().get(0).id();
            return schedules.runs(id, 10).stream().map(r -> r.status().label()).findFirst().orElse("none");
        }
    }

    private void assertSlotDoneOnce(Path db) throws Exception {
        Path archive = db.getParent().resolve("reports");
        try (Engine engine = Engine.open(db, Clock.fixed(NOW, ZoneOffset.UTC))) {
            Schedules schedules = Schedules.of(engine);
            Schedule s = schedules.list().get(0);
            List<ScheduleRun> runs = schedules.runs(s.id(), 10);
            assertEquals(1, runs.size(), runs.toString());
            assertEquals(SLOT, runs.get(0).slot());
            assertEquals(RunStatus.SUCCEEDED, runs.get(0).status(), runs.toString());
            List<ArchivedFile> files = schedules.files(s.id());
            assertEquals(1, files.size());
            List<Path> onDisk = ScheduleFixtures.archivedFiles(archive);
            assertEquals(List.of(archive.resolve(s.id()).resolve("customer-list_2026-12-07T0700+0100.xlsx")), onDisk,
                    "exactly the final file, no partial one");
            Path file = onDisk.get(0);
            assertEquals(files.get(0).sizeBytes(), Files.size(file));
            assertEquals(files.get(0).sha256(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
            assertEquals(4 + 1 + CUSTOMERS, ScheduleFixtures.xlsxRows(file));
        }
    }

    private Process child(Path db, String name) throws IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), Child.class.getName(), db.toString(), NOW.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child-" + name + ".log").toFile()).start();
    }
}
