package io.clvanalytics.bench;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.cli.ClvCli;
import io.clvanalytics.engine.clv.ClvService;
import io.clvanalytics.engine.clv.TimeUnit;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The command line as users run it: every {@code clv} step is a child process started through {@code bin/clv}
 * (JVM start, store open, migrations check, close included), timed from outside, with the child's peak resident
 * memory (VmHWM, polled from /proc every 10 ms).
 *
 * <p>The shared generated store's purchase lines go to a CSV with about 0.1 % exact duplicate lines (each
 * thousandth line repeated right after itself, as real exports do). Then, alternating for {@link #ROUNDS} rounds,
 * medians reported:
 * <ul>
 *   <li>a bare JVM start of the CLI, {@code clv --version};</li>
 *   <li>DuckDB's {@code CREATE TABLE AS SELECT * FROM read_csv(...)} of the same file into a new store (in this
 *       JVM, so without a JVM start: the goal adds one);</li>
 *   <li>the same read_csv into a temporary table first, then into the store, under the import's memory limit: the least
 *       an all-or-nothing import that checks every row before writing any does (reported as a second baseline);</li>
 *   <li>{@code clv import} of the file into a new store. Goals: ≤ 1.5× (read_csv + JVM start), peak RSS &lt; 1 GB;</li>
 *   <li>the scoring as commands ({@link #SCORING}) on the imported store, against the in-process pipeline
 *       ({@code ClvService.fitAndScore}) on a copy of it. Goals: ≤ 1.3× (pipeline + JVM start), and at 100,000
 *       customers ≤ 3× a bare JVM start; the in-process pipeline computes the diagnostics too, as the command
 *       does, and reports their share of the fit (goal &lt; 20 %) and, run a second and a third time on the same
 *       data, the summary built again with its rows kept and then read back;</li>
 *   <li>when {@value #LIFETIMES_ENV} names a python, the pipeline a user would otherwise run with Python's lifetimes
 *       on the same CSV ({@code bench/python/lifetimes_pipeline.py}), as a child process, against {@code clv import}
 *       + {@code clv score --refit}. Goals: 10× faster at 1,000,000 customers, 3× at 100,000.</li>
 * </ul>
 */
final class CliBench implements Benchmark {

    private static final int ROUNDS = 3;
    private static final long GOAL_RSS_BYTES = 1L << 30;
    /**
     * The python (any interpreter that can import lifetimes, autograd, pandas and scipy: a virtualenv's, or a
     * wrapper script setting PYTHONPATH) that runs {@code bench/python/lifetimes_pipeline.py}; unset, that step is skipped.
     */
    static final String LIFETIMES_ENV = "CLV_BENCH_LIFETIMES";

    /**
     * The scoring as a user runs it: one command, {@code clv score --refit} (one summary, both fits, the scores).
     */
    private static final List<List<String>> SCORING = List.of(List.of("score", "--refit"));

    @Override
    public String name() {
        return "cli";
    }

    @Override
    public String description() {
        return "clv import and scoring as child processes vs DuckDB read_csv, the in-process pipeline and a bare JVM start";
    }

    @Override
    public List<BenchResult> run(BenchContext ctx) throws Exception {
        Path clv = Path.of(System.getProperty("clv.bin", "bin/clv")).toAbsolutePath();
        if (!Files.isExecutable(clv)) {
            throw new IllegalStateException("the cli bench runs " + clv + " (set -Dclv.bin to another path); run it from the repository root");
        }
        Path csv = ctx.workDir().resolve("cli-bench.csv");
        long[] lines = new long[2];
        ctx.measure("writing the shared store's purchase lines to a CSV with 0.1 % duplicate lines",
                () -> writeCsv(ctx.sharedStore(), csv, lines));
        ctx.log(String.format(Locale.ROOT, "CSV: %,d lines (%,d exact duplicates), %,d bytes", lines[0], lines[1], Files.size(csv)));
        run(clv, ctx.workDir(), "--version"); // a first run creates the class-data archive bin/clv keeps beside the jar

        List<Measurement> starts = new ArrayList<>();
        List<Measurement> readCsvs = new ArrayList<>();
        List<Measurement> stagedReadCsvs = new ArrayList<>();
        List<Measurement> imports = new ArrayList<>();
        List<Measurement> commands = new ArrayList<>();
        List<Measurement> pipelines = new ArrayList<>();
        List<Long> importRss = new ArrayList<>();
        List<Long> scoringRss = new ArrayList<>();
        List<ClvService.PipelineReport> firstReports = new ArrayList<>();
        List<ClvService.PipelineReport> keepReports = new ArrayList<>();
        List<ClvService.PipelineReport> reuseReports = new ArrayList<>();
        String python = System.getenv(LIFETIMES_ENV);
        Path lifetimesScript = Path.of("bench", "python", "lifetimes_pipeline.py").toAbsolutePath();
        List<Measurement> lifetimesRuns = new ArrayList<>();
        List<Long> lifetimesRss = new ArrayList<>();
        if (python == null || python.isBlank()) {
            ctx.log("no comparison with Python lifetimes: set " + LIFETIMES_ENV + " to a python that can import lifetimes (README)");
        }
        for (int round = 1; round <= ROUNDS; round++) {
            settle();
            starts.add(ctx.measure("clv --version, round " + round, () -> {
                run(clv, ctx.workDir(), "--version");
                return 0;
            }));
            Path bare = fresh(ctx.workDir().resolve("cli-read-csv.duckdb"));
            settle();
            readCsvs.add(ctx.measure("DuckDB CREATE TABLE AS read_csv, round " + round, () -> readCsv(bare, csv)));
            Path staged = fresh(ctx.workDir().resolve("cli-staged-read-csv.duckdb"));
            settle();
            stagedReadCsvs.add(ctx.measure("DuckDB read_csv into a temporary table, then into the database, round " + round,
                    () -> stagedReadCsv(staged, csv)));
            Path store = fresh(ctx.workDir().resolve("cli-import.duckdb"));
            settle();
            imports.add(ctx.measure("clv import (child process), round " + round, () -> {
                importRss.add(run(clv, ctx.workDir(), "import", "--db", store.toString(), csv.toString()));
                return lines[0];
            }));
            Path inProcess = fresh(ctx.workDir().resolve("cli-in-process.duckdb"));
            Files.copy(store, inProcess, StandardCopyOption.REPLACE_EXISTING);
            settle();
            commands.add(ctx.measure("scoring as commands " + describe(SCORING) + ", round " + round, () -> {
                for (List<String> command : SCORING) {
                    List<String> args = new ArrayList<>(command);
                    args.addAll(List.of("--db", store.toString()));
                    scoringRss.add(run(clv, ctx.workDir(), args.toArray(String[]::new)));
                }
                return 0;
            }));
            // With diagnostics, as clv score --refit computes them by default: the same work on both sides.
            settle();
            pipelines.add(ctx.measure("in-process pipeline, round " + round, () -> {
                try (Engine engine = Engine.open(inProcess)) {
                    firstReports.add(ClvService.on(engine).fitAndScore("bgnbd", TimeUnit.WEEK, 0, 12, 0.01, true));
                }
                return 0;
            }));
            // The second command on the same data keeps the summary's rows; the third reads them back.
            settle();
            ctx.measure("in-process pipeline again on the same data (keeps the summary), round " + round, () -> {
                try (Engine engine = Engine.open(inProcess)) {
                    keepReports.add(ClvService.on(engine).fitAndScore("bgnbd", TimeUnit.WEEK, 0, 12, 0.01, true));
                }
                return 0;
            });
            settle();
            ctx.measure("in-process pipeline a third time on the same data (reads the summary back), round " + round, () -> {
                try (Engine engine = Engine.open(inProcess)) {
                    reuseReports.add(ClvService.on(engine).fitAndScore("bgnbd", TimeUnit.WEEK, 0, 12, 0.01, true));
                }
                return 0;
            });
            if (python != null && !python.isBlank()) {
                Path scores = ctx.workDir().resolve("cli-lifetimes-scores.csv");
                String[] output = new String[1];
                settle();
                lifetimesRuns.add(ctx.measure("Python lifetimes: read_csv + summary + BG/NBD + Gamma-Gamma + CLV, round " + round, () -> {
                    lifetimesRss.add(runProcess(List.of(python, lifetimesScript.toString(), csv.toString(), scores.toString()),
                            ctx.workDir(), output));
                    return 0;
                }));
                ctx.log("lifetimes, round " + round + ": " + output[0].strip());
            }
        }
        Measurement start = Measurement.median(starts);
        Measurement readCsv = Measurement.median(readCsvs);
        Measurement stagedReadCsv = Measurement.median(stagedReadCsvs);
        Measurement imported = Measurement.median(imports);
        Measurement scoring = Measurement.median(commands);
        Measurement pipeline = Measurement.median(pipelines);
        long importPeak = importRss.stream().mapToLong(Long::longValue).max().orElse(0);
        long scoringPeak = scoringRss.stream().mapToLong(Long::longValue).max().orElse(0);

        List<BenchResult> results = new ArrayList<>();
        String size = String.format(Locale.ROOT, "%,d customers, %,d lines", ctx.customers(), lines[0]);
        results.add(new BenchResult(name(), "clv import as a process (" + size + "), median of " + ROUNDS + " (goal 1.5x)",
                seconds(imported), "read_csv " + seconds(readCsv) + " + JVM start " + seconds(start),
                imported.seconds() / (readCsv.seconds() + start.seconds()), 0));
        results.add(new BenchResult(name(), "the floor of an import that checks rows before writing: read_csv into a temporary"
                + " table, then into the database, at the import's memory limit " + ClvCli.IMPORT_MEMORY_LIMIT + " (+ JVM start)",
                seconds(stagedReadCsv), "read_csv " + seconds(readCsv) + " + JVM start " + seconds(start),
                (stagedReadCsv.seconds() + start.seconds()) / (readCsv.seconds() + start.seconds()), 0));
        results.add(new BenchResult(name(), "clv import vs that staged floor", seconds(imported),
                "staged read_csv " + seconds(stagedReadCsv) + " + JVM start " + seconds(start),
                imported.seconds() / (stagedReadCsv.seconds() + start.seconds()), 0));
        results.add(new BenchResult(name(), "peak RSS of clv import, highest of " + ROUNDS + " (goal < 1 GB)", mib(importPeak), "1 GB",
                (double) importPeak / GOAL_RSS_BYTES, 0));
        results.add(new BenchResult(name(), "scoring as commands " + describe(SCORING) + ", peak RSS " + mib(scoringPeak) + " (goal 1.3x)",
                seconds(scoring), "in-process pipeline " + seconds(pipeline) + " + JVM start " + seconds(start),
                scoring.seconds() / (pipeline.seconds() + start.seconds()), 0));
        results.add(new BenchResult(name(), "scoring as commands vs a bare JVM start (goal 3x at 100,000 customers)",
                seconds(scoring), "clv --version " + seconds(start), scoring.seconds() / start.seconds(), 0));
        double diagnostics = median(firstReports.stream().mapToDouble(ClvService.PipelineReport::diagnosticsSeconds).toArray());
        double fit = median(firstReports.stream().mapToDouble(ClvService.PipelineReport::purchaseFitSeconds).toArray());
        results.add(new BenchResult(name(), "in-process: the purchase model's diagnostics tables, median (goal < 20 % of the fit)",
                String.format(Locale.ROOT, "%.3f s", diagnostics), String.format(Locale.ROOT, "BG/NBD fit %.3f s", fit), diagnostics / fit, 0));
        double diagnosticsAgain = median(reuseReports.stream().mapToDouble(ClvService.PipelineReport::diagnosticsSeconds).toArray());
        double fitAgain = median(reuseReports.stream().mapToDouble(ClvService.PipelineReport::purchaseFitSeconds).toArray());
        results.add(new BenchResult(name(), "in-process: diagnostics of the next fit on the same data (repeat days kept), median",
                String.format(Locale.ROOT, "%.3f s", diagnosticsAgain), String.format(Locale.ROOT, "BG/NBD fit %.3f s", fitAgain),
                diagnosticsAgain / fitAgain, 0));
        double built = median(firstReports.stream().mapToDouble(ClvService.PipelineReport::summarySeconds).toArray());
        double kept = median(keepReports.stream().mapToDouble(ClvService.PipelineReport::summarySeconds).toArray());
        double reused = median(reuseReports.stream().mapToDouble(ClvService.PipelineReport::summarySeconds).toArray());
        results.add(new BenchResult(name(), "in-process: RFM summary of the second command on the same data (built again, rows kept), median",
                String.format(Locale.ROOT, "%.3f s", kept), String.format(Locale.ROOT, "built by the first %.3f s", built), kept / built, 0));
        results.add(new BenchResult(name(), "in-process: RFM summary of the third command on the same data (read back), median",
                String.format(Locale.ROOT, "%.3f s", reused), String.format(Locale.ROOT, "built by the first %.3f s", built),
                reused / built, 0));
        if (!lifetimesRuns.isEmpty()) {
            Measurement lifetimes = Measurement.median(lifetimesRuns);
            double clvSeconds = imported.seconds() + scoring.seconds();
            long lifetimesPeak = lifetimesRss.stream().mapToLong(Long::longValue).max().orElse(0);
            results.add(new BenchResult(name(), String.format(Locale.ROOT, "clv import + clv score --refit vs Python lifetimes on the"
                    + " same CSV (%.1fx faster; goal 10x at 1,000,000 customers, 3x at 100,000), lifetimes peak RSS %s",
                    lifetimes.seconds() / clvSeconds, mib(lifetimesPeak)), String.format(Locale.ROOT, "%.2f s", clvSeconds),
                    "lifetimes " + seconds(lifetimes), clvSeconds / lifetimes.seconds(), 0));
            // A lifetimes user starts from the CSV every time; a clv user imports once, then scores from the store.
            results.add(new BenchResult(name(), String.format(Locale.ROOT, "clv score --refit (the one-command scoring) vs Python"
                    + " lifetimes' whole pipeline on the CSV (%.1fx faster; goal 10x at 1,000,000 customers, 3x at 100,000)",
                    lifetimes.seconds() / scoring.seconds()), seconds(scoring), "lifetimes " + seconds(lifetimes),
                    scoring.seconds() / lifetimes.seconds(), 0));
        }
        return results;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v.length == 0 ? Double.NaN : v[v.length / 2];
    }

    private static String describe(List<List<String>> commands) {
        return commands.stream().map(c -> "clv " + String.join(" ", c)).reduce((a, b) -> a + " + " + b).orElse("");
    }

    private static String seconds(Measurement m) {
        return String.format(Locale.ROOT, "%.2f s", m.seconds());
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%,d MiB", bytes >> 20);
    }

    private static Path fresh(Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".wal"));
        return file;
    }

    /** Runs {@code clv args} as a child process, failing on a non-zero exit; returns its peak RSS in bytes. */
    /**
     * Lets this JVM's compiler and collector threads finish what the last step left before the next one is timed: on
     * 2 cores they competed with the next child ({@code clv --version} measured 0.55–0.67 s in the bench against 0.44 s alone).
     */
    private static void settle() throws InterruptedException {
        System.gc();
        Thread.sleep(1000);
    }

    private static long run(Path clv, Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(clv.toString()));
        command.addAll(List.of(args));
        return runProcess(command, dir, null);
    }

    /**
     * Runs {@code command} as a child process, failing on a non-zero exit; returns its peak RSS in bytes and,
     * when {@code output} is given, its last output line in {@code output[0]}.
     */
    private static long runProcess(List<String> command, Path dir, String[] output) throws Exception {
        Path log = Files.createTempFile(dir, "clv-child-", ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long peak = 0;
        Path status = Path.of("/proc", Long.toString(p.pid()), "status");
        while (!p.waitFor(10, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            peak = Math.max(peak, highWaterMark(status));
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + p.exitValue() + ":\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        if (output != null) {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            output[0] = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }
        Files.delete(log);
        return peak;
    }

    /** VmHWM (peak resident set) of a running process, in bytes; 0 once it is gone. bin/clv execs java, so the pid stays. */
    private static long highWaterMark(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the process ended between two polls
        }
        return 0;
    }

    /** The store's purchase lines, with each thousandth line repeated right after itself; counts in {@code lines}. */
    private static long writeCsv(Path store, Path csv, long[] lines) throws SQLException, IOException {
        try (Engine e = Engine.open(store); Connection c = e.connect()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    COPY (SELECT c.source_id AS customer_id, t.order_id, t.date, p.source_id AS product_id,
                                 t.quantity, t.unit_price, t.amount
                          FROM (SELECT *, 0 AS copy FROM transactions UNION ALL
                                SELECT *, 1 AS copy FROM transactions WHERE id % 1000 = 7) t
                          JOIN customers c ON c.id = t.customer_id
                          LEFT JOIN products p ON p.id = t.product_id
                          ORDER BY t.id, t.copy) TO ? (HEADER, DELIMITER ',')""")) {
                ps.setString(1, csv.toString());
                lines[0] = ps.executeUpdate();
            }
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM transactions WHERE id % 1000 = 7")) {
                rs.next();
                lines[1] = rs.getLong(1);
            }
        }
        try (FileChannel ch = FileChannel.open(csv, StandardOpenOption.WRITE)) {
            ch.force(true); // flushed now, so no side pays for writing back the file's dirty pages
        }
        return lines[0];
    }

    /**
     * The least an import that checks every row before it writes one must do: the same read_csv into a temporary
     * table first, then that table into the database, checkpointed, under the import's default memory limit.
     */
    private static long stagedReadCsv(Path file, Path csv) throws SQLException {
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + file)) {
            try (Statement st = c.createStatement()) {
                st.execute("SET memory_limit = '" + ClvCli.IMPORT_MEMORY_LIMIT + "'");
            }
            try (PreparedStatement ps = c.prepareStatement("CREATE TEMP TABLE staged AS SELECT * FROM read_csv(?)")) {
                ps.setString(1, csv.toString());
                ps.execute();
            }
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE lines AS SELECT * FROM staged");
                st.execute("CHECKPOINT");
            }
        }
        return 0;
    }

    /** DuckDB's bare {@code CREATE TABLE AS SELECT * FROM read_csv(...)} into a new database, checkpointed. */
    private static long readCsv(Path file, Path csv) throws SQLException {
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + file);
             PreparedStatement ps = c.prepareStatement("CREATE TABLE lines AS SELECT * FROM read_csv(?)")) {
            ps.setString(1, csv.toString());
            ps.execute();
            try (Statement st = c.createStatement()) {
                st.execute("CHECKPOINT");
            }
        }
        return 0;
    }
}
