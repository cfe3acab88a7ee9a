package io.clvanalytics.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.cli.ClvCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of {@code clv backup}, {@code clv archive} and {@code clv restore} processes at several moments
 * of their run: no file under a final name that does not verify, the store whole (its old or its new state), and
 * no debris left once the same command has run again (in this JVM, to keep the test short: the child is gone
 * either way).
 */
class KillDuringOpsTest {

    private static final double[] KILL_AT = {0.5, 0.75, 0.9};

    @TempDir
    static Path shared;

    static Path template;
    static String allTransactions;

    @BeforeAll
    static void bigEnoughStore() throws Exception {
        template = OpsFixture.generated(shared.resolve("template.duckdb"), 10_000);
        allTransactions = OpsFixture.text(template, OpsFixture.TX_CHECKSUM + "transactions");
    }

    @TempDir
    Path dir;

    @Test
    void aKilledBackupLeavesAVerifiedBackupOrNoneAndTheNextBackupClearsItsDebris() throws Exception {
        Path store = copy("clv.duckdb");
        Path folder = dir.resolve("backups");
        long wholeMillis = timed(store, "reference", "backup", "--to", folder.resolve("reference.duckdb").toString());
        List<String> outcomes = new ArrayList<>();
        for (double f : KILL_AT) {
            Path backup = folder.resolve("b-" + f + ".duckdb");
            outcomes.add(f + ": " + killedAt(f, wholeMillis, store, "backup", "--to", backup.toString()));
            if (Files.exists(backup)) {
                // it verifies: restoring it into a scratch copy checks every table against the manifest
                Path scratch = copy("scratch-" + f + ".duckdb");
                StoreBackup.restore(scratch, backup, false);
            }
        }
        try (Engine e = Engine.open(store)) {
            StoreBackup.backup(e, folder.resolve("after.duckdb"));
        }
        assertKilledOnce(outcomes);
        assertEquals(List.of(), debris(folder, ".partial"), "no temporary backup files after the next backup: " + outcomes);
        assertEquals(allTransactions, OpsFixture.text(store, OpsFixture.TX_CHECKSUM + "transactions"));
    }

    @Test
    void aKilledArchiveLosesOrDoublesNoRowAndTheNextArchiveClearsItsDebris() throws Exception {
        Path folder = dir.resolve("archive");
        long wholeMillis = timed(copy("reference.duckdb"), "reference", "archive", "--before", "2023-01-01", "--to",
                dir.resolve("reference-archive").toString());
        List<String> outcomes = new ArrayList<>();
        for (double f : KILL_AT) {
            Path store = copy("clv-" + f + ".duckdb");
            outcomes.add(f + ": " + killedAt(f, wholeMillis, store, "archive", "--before", "2023-01-01", "--to", folder.toString()));
            assertEquals(allTransactions, OpsFixture.text(store, OpsFixture.TX_CHECKSUM + "transactions_all"), outcomes.toString());
            try (Engine e = Engine.open(store)) {
                TransactionArchive.archive(e, java.time.LocalDate.of(2024, 1, 1), folder);
                assertEquals(allTransactions, OpsFixture.text(e, OpsFixture.TX_CHECKSUM + "transactions_all"), outcomes.toString());
                String prefix = "transactions-" + e.storeId().substring(0, 8) + "-";
                List<String> recorded = List.of(OpsFixture.text(e, "SELECT string_agg(file, '|' ORDER BY id) FROM archives").split("\\|"));
                try (Stream<Path> files = Files.list(folder)) {
                    List<String> ours = files.filter(p -> p.getFileName().toString().startsWith(prefix)).map(Path::toString).sorted().toList();
                    assertEquals(recorded.stream().sorted().toList(), ours, "only recorded files after the next run: " + outcomes);
                }
            }
        }
        assertKilledOnce(outcomes);
        assertEquals(List.of(), debris(folder, ".tmp"), "no temporary archive files after the next archive: " + outcomes);
    }

    @Test
    void aKilledRestoreLeavesTheOldStoreOrTheRestoredOneAndTheNextRestoreClearsItsDebris() throws Exception {
        Path backup = dir.resolve("backup.duckdb");
        try (Engine e = Engine.open(copy("source.duckdb"))) {
            StoreBackup.backup(e, backup);
        }
        String restored = OpsFixture.fingerprint(dir.resolve("source.duckdb"));
        long wholeMillis = timed(changed(copy("reference.duckdb")), "reference", "restore", "--from", backup.toString());
        List<String> outcomes = new ArrayList<>();
        for (double f : KILL_AT) {
            Path store = changed(copy("clv-" + f + ".duckdb"));
            String old = OpsFixture.fingerprint(store);
            outcomes.add(f + ": " + killedAt(f, wholeMillis, store, "restore", "--from", backup.toString()));
            String now = OpsFixture.fingerprint(store);
            assertTrue(now.equals(old) || now.equals(restored), "the old store or the backup's, whole: " + outcomes);
            StoreBackup.restore(store, backup, false);
            assertEquals(restored, OpsFixture.fingerprint(store));
        }
        assertKilledOnce(outcomes);
        assertEquals(List.of(), debris(dir, ".restoring"), "no staged copies after the next restore: " + outcomes);
    }

    private static void assertKilledOnce(List<String> outcomes) {
        assertTrue(outcomes.stream().anyMatch(o -> o.contains("killed")), "at least one run was killed while it ran: " + outcomes);
    }

    private Path copy(String name) throws IOException {
        return Files.copy(template, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    private static Path changed(Path store) {
        try (Engine e = Engine.open(store)) {
            e.inTransaction(c -> c.createStatement().executeUpdate("DELETE FROM transactions WHERE customer_id % 7 = 0"));
        }
        return store;
    }

    /** Wall time of one uninterrupted run (JVM start included), in milliseconds: kill moments are fractions of it. */
    private long timed(Path store, String name, String... args) throws Exception {
        long t0 = System.nanoTime();
        assertEquals(0, run(store, name, args).waitFor(), "the uninterrupted run succeeds");
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private String killedAt(double fraction, long wholeMillis, Path store, String... args) throws Exception {
        long delay = Math.round(fraction * wholeMillis);
        Process child = run(store, args[0] + "-" + fraction, args);
        if (child.waitFor(delay, TimeUnit.MILLISECONDS)) {
            return "finished before " + delay + " ms";
        }
        child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no finally blocks
        child.waitFor();
        return "killed at " + delay + " ms";
    }

    /** {@code clv COMMAND --db store ...} in a child JVM, its output in child-{@code name}.log. */
    private Process run(Path store, String name, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ClvCli.class.getName(), args[0], "--db", store.toString()));
        command.addAll(List.of(args).subList(1, args.length));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("child-" + name + ".log").toFile()).start();
    }

    private static List<Path> debris(Path folder, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.getFileName().toString().contains(suffix)).toList();
        }
    }
}
