package io.clvanalytics.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench runner itself, at a tiny size (figures at this size mean nothing; the table's shape does). */
class BenchMainTest {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = BenchMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theGenerateBenchmarkPrintsARowPerBaselineWithRatioAndPeakHeap() throws Exception {
        Path work = dir.resolve("work");
        Run r = run("--only", "generate", "--customers", "1500", "--dir", work.toString());
        assertEquals(0, r.code(), r.err());
        String table = r.out();
        assertTrue(table.contains("benchmark | step"), table);
        assertTrue(table.lines().filter(l -> l.startsWith("generate ")).count() == 2, table);
        assertTrue(table.matches("(?s).*generate 1,500 customers.*appender alone.*\\d+\\.\\d\\dx \\| \\d+ MiB.*"), table);
        assertTrue(Files.exists(work.resolve("shared-1500-42.duckdb")), "the generated store is the run's shared store");

        Run again = run("--only", "generate", "--customers", "1500", "--dir", work.toString());
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("reusing the shared store"), again.err());
    }

    @Test
    void anUnknownBenchmarkNameIsRefusedWithTheKnownNames() throws Exception {
        Run r = run("--only", "nosuch");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("no benchmark named 'nosuch'") && r.err().contains("generate"), r.err());
    }

    @Test
    void listNamesEveryRegisteredBenchmark() throws Exception {
        Run r = run("--list");
        assertEquals(0, r.code());
        for (Benchmark b : BenchRegistry.all()) {
            assertTrue(r.out().contains(b.name()), r.out());
        }
    }
}
