package io.clvanalytics.engine.clv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.cli.ClvCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of a {@code clv score} process that fits both models and writes the scores: at
 * every moment the store holds either no run at all or runs with their scores, so "latest run"
 * never points at a run without scores (fits and scores are one transaction).
 */
class KillDuringScoreTest {

    @TempDir
    Path dir;

    @Test
    void aKilledScoringLeavesNoRunWithoutScores() throws Exception {
        Path generated = dir.resolve("generated.duckdb");
        StringWriter err = new StringWriter();
        assertEquals(0, ClvCli.run(new String[] {"generate", "--db", generated.toString(), "--customers", "20000", "--seed", "7"},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true)), err.toString());

        Path reference = copy(generated, "reference");
        long start = System.nanoTime();
        Process whole = scoreInChild(reference, "reference");
        assertEquals(0, whole.waitFor(), "the uninterrupted scoring succeeds");
        long wholeMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals("all", outcome(reference));

        List<String> outcomes = new ArrayList<>();
        boolean killedWhileRunning = false;
        for (double fraction : new double[] {0.4, 0.6, 0.8, 0.9}) {
            long delayMillis = Math.round(fraction * wholeMillis);
            Path db = copy(generated, Long.toString(delayMillis));
            Process child = scoreInChild(db, Long.toString(delayMillis));
            if (!child.waitFor(delayMillis, TimeUnit.MILLISECONDS)) {
                killedWhileRunning = true;
                child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no rollback
                child.waitFor();
            }
            outcomes.add(delayMillis + " ms: " + outcome(db));
        }
        assertTrue(killedWhileRunning, "at least one scoring was killed while it ran (a whole one took " + wholeMillis + " ms): "
                + outcomes);
    }

    /** "none" (no run stored) or "all" (runs with scores); fails on anything in between. */
    private static String outcome(Path db) throws Exception {
        try (Engine e = Engine.open(db); Connection c = e.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT count(*) FROM model_runs),"
                     + " (SELECT count(*) FROM model_runs m WHERE m.model <> 'gg'"
                     + "    AND NOT EXISTS (SELECT 1 FROM customer_scores s WHERE s.run_id = m.id)),"
                     + " (SELECT count(*) FROM customer_scores), (SELECT count(*) FROM customers WHERE clv IS NOT NULL),"
                     + " (SELECT count(*) FROM customers)")) {
            rs.next();
            if (rs.getLong(1) == 0) {
                assertEquals(0, rs.getLong(3), "no run, no scores");
                assertEquals(0, rs.getLong(4), "no run, no customers.clv");
                return "none";
            }
            assertEquals(0, rs.getLong(2), "a purchase model run without scores");
            assertEquals(rs.getLong(5), rs.getLong(3), "every customer scored");
            return "all";
        }
    }

    private Path copy(Path from, String name) throws IOException {
        Path to = dir.resolve("store-" + name + ".duckdb");
        Files.copy(from, to);
        return to;
    }

    /** {@code clv score --model bgnbd} on {@code db} in a child JVM, its output in child-{@code name}.log. */
    private Process scoreInChild(Path db, String name) throws IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ClvCli.class.getName(), "score", "--db", db.toString(), "--model", "bgnbd")
                .redirectErrorStream(true).redirectOutput(dir.resolve("child-" + name + ".log").toFile()).start();
    }
}
