package io.clvanalytics.engine.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.cli.ClvCli;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a {@code clv import} process at several moments of its run: reopening the store shows
 * all of that import or none of it, and the batch committed before it untouched.
 */
class KillDuringImportTest {

    private static final int ROWS = 200_000;

    @TempDir
    Path dir;

    @Test
    void aKilledImportLeavesAllOfItOrNoneOfIt() throws Exception {
        Path big = dir.resolve("big.csv");
        try (Writer w = Files.newBufferedWriter(big)) {
            w.write("CustomerID,InvoiceNo,InvoiceDate,StockCode,Quantity,UnitPrice\n");
            for (int i = 0; i < ROWS; i++) {
                w.write((10_000 + i % 5_000) + "," + (500_000 + i / 4) + ",2011-0" + (1 + i % 9) + "-1" + (i % 10) + " 10:00:00,"
                        + (20_000 + i % 3_000) + "," + (1 + i % 12) + "," + (i % 50) + ".25\n");
            }
        }
        Path small = dir.resolve("small.csv");
        Files.writeString(small, "customer_id,date,amount\nA,2010-01-01,1.00\nB,2010-01-02,2.00\n");

        // The kill moments are fractions of one whole import's wall time here (JVM start included): fixed delays
        // would all fall after the end on a fast machine.
        Path reference = dir.resolve("store-reference.duckdb");
        long start = System.nanoTime();
        Process whole = importInChild(reference, big, "reference");
        assertEquals(0, whole.waitFor(), "the uninterrupted import succeeds");
        long wholeMillis = (System.nanoTime() - start) / 1_000_000;

        List<String> outcomes = new ArrayList<>();
        boolean killedWhileRunning = false;
        for (double fraction : new double[] {0.2, 0.4, 0.6, 0.8}) {
            long delayMillis = Math.round(fraction * wholeMillis);
            Path db = dir.resolve("store-" + delayMillis + ".duckdb");
            assertEquals(0, Stores.clv("import", "--db", db.toString(), small.toString()).exitCode());
            String before = Stores.fingerprint(db);

            Process child = importInChild(db, big, Long.toString(delayMillis));
            boolean finished = child.waitFor(delayMillis, TimeUnit.MILLISECONDS);
            if (!finished) {
                killedWhileRunning = true;
                child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no rollback
                child.waitFor();
            }
            try (Engine e = Engine.open(db)) {
                long transactions = Stores.count(e, "SELECT count(*) FROM transactions");
                long batches = Stores.count(e, "SELECT count(*) FROM import_batches");
                if (batches == 1) {
                    assertEquals(2, transactions, "none of the killed import: only the earlier batch");
                    outcomes.add(delayMillis + " ms: none");
                } else {
                    assertEquals(2, batches);
                    assertEquals(2 + ROWS, transactions, "all of the import");
                    assertEquals(ROWS, Stores.count(e, "SELECT count(*) FROM transactions WHERE batch_id = 2"));
                    assertEquals(5_002, Stores.count(e, "SELECT count(*) FROM customers"));
                    outcomes.add(delayMillis + " ms: all");
                }
                assertEquals(2, Stores.count(e, "SELECT count(*) FROM transactions WHERE batch_id = 1"), "the earlier batch is untouched");
            }
            if (outcomes.get(outcomes.size() - 1).endsWith("none")) {
                assertEquals(before, Stores.fingerprint(db));
            }
        }
        assertTrue(killedWhileRunning, "at least one import was killed while it ran (a whole one took " + wholeMillis + " ms): " + outcomes);
    }

    /** {@code clv import} of {@code csv} into {@code db} in a child JVM, its output in child-{@code name}.log. */
    private Process importInChild(Path db, Path csv, String name) throws IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ClvCli.class.getName(), "import", "--db", db.toString(), csv.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child-" + name + ".log").toFile()).start();
    }
}
