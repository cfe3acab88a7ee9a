package io.clvanalytics.bench;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.clv.ClvService;
import io.clvanalytics.engine.clv.RfmSummary;
import io.clvanalytics.engine.generate.DemoDataGenerator;
import io.clvanalytics.engine.generate.GeneratorConfig;
import io.clvanalytics.engine.retention.RetentionService;
import io.clvanalytics.engine.retention.RetentionSettings;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The customer-list report of 100,000 customers (a generated store, BG/NBD scores and retention
 * scores) rendered to XLSX and to PDF, each in a child JVM with {@code -Xmx512m}, against writing the
 * same rows and columns with POI's streaming {@code SXSSFWorkbook} in the same kind of JVM.
 * Times are measured inside the child (JVM start excluded); the peak is the child's Java heap. The
 * three alternate for {@value #ROUNDS} rounds and each reports its median round. The size is
 * fixed (not {@code --customers}); with a kept {@code --dir} the scored store is prepared once and reused.
 */
final class ReportBench implements Benchmark {

    static final int CUSTOMERS = 100_000;
    static final String HEAP = "-Xmx512m";
    static final int ROUNDS = 3;
    private static final Pattern RESULT = Pattern.compile("seconds=([0-9.]+) rows=(\\d+) peak=(\\d+)");

    @Override
    public String name() {
        return "report";
    }

    @Override
    public String description() {
        return "customer list of 100,000 customers to XLSX and PDF (JVM with " + HEAP + ") vs the same rows written with POI SXSSFWorkbook";
    }

    @Override
    public List<BenchResult> run(BenchContext ctx) throws Exception {
        Path store = ctx.workDir().resolve("report-" + CUSTOMERS + "-" + BenchContext.SEED + ".duckdb");
        Path complete = ctx.workDir().resolve("report-" + CUSTOMERS + "-" + BenchContext.SEED + ".complete");
        if (Files.isRegularFile(complete) && Files.isRegularFile(store)) {
            ctx.log("reusing the scored report store from an earlier run: " + store);
        } else {
            Files.deleteIfExists(store);
            ctx.measure("prepare a store of " + CUSTOMERS + " customers with CLV and retention scores", () -> {
                try (Engine engine = Engine.open(store)) {
                    DemoDataGenerator.generate(engine, GeneratorConfig.defaults(CUSTOMERS, BenchContext.SEED),
                            DemoDataGenerator.ProgressListener.NONE);
                    ClvService clv = ClvService.on(engine);
                    clv.fit("bgnbd", RfmSummary.Options.wholeHistory(), 0.0, false);
                    clv.score("bgnbd", ClvService.DEFAULT_HORIZON_MONTHS, ClvService.DEFAULT_DISCOUNT_RATE);
                    RetentionService.of(engine).score(RetentionSettings.defaults());
                    engine.checkpoint();
                }
                return CUSTOMERS;
            });
            // Written once the store is complete, so a kept --dir never reuses a half-prepared one.
            Files.writeString(complete, "prepared\n");
        }
        // The three exports alternate and each reports its median round: one child JVM's time swings by a
        // fifth or more on this kind of machine, and not alike for all three.
        List<Measurement> sxssf = new ArrayList<>(), xlsx = new ArrayList<>(), pdf = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            sxssf.add(child(ctx, "sxssf", store, ctx.workDir().resolve("baseline.xlsx")));
            xlsx.add(child(ctx, "xlsx", store, ctx.workDir().resolve("customer-list.xlsx")));
            pdf.add(child(ctx, "pdf", store, ctx.workDir().resolve("customer-list.pdf")));
        }
        Measurement baseline = Measurement.median(sxssf);
        String baselineName = "POI SXSSFWorkbook, same rows, " + HEAP;
        String rounds = ", median of " + ROUNDS + " rounds";
        return List.of(
                BenchResult.timed(name(), "customer list, 100,000 rows -> XLSX, " + HEAP + rounds, Measurement.median(xlsx), baselineName, baseline),
                BenchResult.timed(name(), "customer list, 100,000 rows -> PDF, " + HEAP + rounds, Measurement.median(pdf), baselineName, baseline));
    }

    /** Runs one export in a child JVM with {@link #HEAP}; fails when the child fails (e.g. runs out of heap). */
    private static Measurement child(BenchContext ctx, String mode, Path store, Path out) throws Exception {
        ctx.log("export " + mode + " in a child JVM (" + HEAP + ") ...");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, HEAP, "-Djava.awt.headless=true",
                "-cp", System.getProperty("java.class.path"), ReportExportChild.class.getName(),
                mode, store.toString(), out.toString())
                .redirectErrorStream(true);
        pb.environment().putIfAbsent("CLV_MEMORY_LIMIT", "1GB");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("export " + mode + " with " + HEAP + " failed:" + File.separator + output);
        }
        Matcher m = RESULT.matcher(output);
        Measurement last = null;
        while (m.find()) {
            last = new Measurement(Double.parseDouble(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)));
        }
        if (last == null) {
            throw new IllegalStateException("export " + mode + " printed no result: " + output);
        }
        ctx.log("export " + mode + ": " + last.describe() + ", " + Files.size(out) / 1024 + " KiB");
        return last;
    }
}
