package io.clvanalytics.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.clv.ClvService;
import io.clvanalytics.engine.clv.FitResult;
import io.clvanalytics.engine.clv.TimeUnit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CLV pipeline on both paths over the shared generated store ({@code --customers}, default
 * 1,000,000): DuckDB ({@code clv score --refit} in process) against the engine-spark job on the
 * same transactions as Parquet, run as {@code spark-submit} would (a child JVM, {@code local[2]},
 * Spark's JVM options). Checks that both fit the same parameters (1e-6 relative) and score every
 * customer the same (P(alive), expected purchases, spend, CLV to 1e-9 relative; the bench fails
 * otherwise), and prints both wall times and the Spark summary step's throughput per core, the
 * figure a cluster is sized from. Needs {@code engine-spark/target} built ({@code make bench} does it).
 */
final class SparkBench implements Benchmark {

    static final Path MODULE = Path.of("engine-spark", "target");
    private static final Pattern SUMMARY = Pattern.compile("spark-clv: summary ([0-9.]+) s over (\\d+) transaction lines on (\\d+) cores");
    private static final String HEAP = "-Xmx6g";
    private static final int CORES = 2;

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public String description() {
        return "CLV scoring on Spark (local[2], job as spark-submit runs it) vs the DuckDB pipeline on the same data; checks identical"
                + " results; Spark summary throughput per core";
    }

    @Override
    public List<BenchResult> run(BenchContext ctx) throws Exception {
        Path jar = jar();
        String classpath = Files.readString(MODULE.resolve("classpath.txt")).trim();
        Path store = ctx.copyOfSharedStore("spark");
        Path parquet = ctx.workDir().resolve("spark-transactions.parquet");
        Path output = ctx.workDir().resolve("spark-scores");
        List<BenchResult> results = new ArrayList<>();
        try (Engine engine = Engine.open(store)) {
            long[] lines = new long[1];
            Measurement export = ctx.measure("transactions -> Parquet (DuckDB COPY)", () -> {
                try (Connection c = engine.connect(); Statement st = c.createStatement()) {
                    st.execute("COPY (SELECT id, customer_id, order_id, date, ts, amount, is_return FROM transactions) TO '"
                            + parquet.toString().replace("'", "''") + "' (FORMAT parquet)");
                    try (ResultSet rs = st.executeQuery("SELECT count(*) FROM transactions")) {
                        rs.next();
                        lines[0] = rs.getLong(1);
                    }
                }
                return lines[0];
            });
            ClvService.PipelineReport[] duck = new ClvService.PipelineReport[1];
            Measurement duckDb = ctx.measure("DuckDB path (clv score --refit, bgnbd)", () -> {
                duck[0] = ClvService.on(engine).fitAndScore("bgnbd", TimeUnit.WEEK, 0, 12, 0.01);
                return lines[0];
            });
            String[] stderr = new String[1];
            JsonNode[] json = new JsonNode[1];
            Measurement spark = ctx.measure("Spark path (job in a child JVM, local[" + CORES + "], " + HEAP + ")", () -> {
                List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), HEAP,
                        "-Dspark.master=local[" + CORES + "]", "-Dspark.ui.enabled=false", "-Dspark.driver.host=127.0.0.1"));
                cmd.addAll(List.of(SPARK_JVM_OPTIONS.split(" ")));
                cmd.addAll(List.of("-cp", jar + java.io.File.pathSeparator + classpath, "io.clvanalytics.spark.SparkClvJob",
                        "--input", parquet.toString(), "--output", output.toString(), "--model", "bgnbd", "--time-unit", "week",
                        "--horizon", "12", "--discount-rate", "0.01"));
                Path err = ctx.workDir().resolve("spark-job.err");
                Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                int code = p.waitFor();
                stderr[0] = Files.readString(err);
                if (code != 0) {
                    throw new IllegalStateException("the Spark job exited " + code + ": " + tail(stderr[0]));
                }
                json[0] = new ObjectMapper().readTree(out);
                return lines[0];
            });
            Matcher m = SUMMARY.matcher(stderr[0]);
            if (!m.find()) {
                throw new IllegalStateException("the Spark job printed no summary timing: " + tail(stderr[0]));
            }
            double summarySeconds = Double.parseDouble(m.group(1));
            long summaryLines = Long.parseLong(m.group(2));
            int cores = Integer.parseInt(m.group(3));
            ClvService.PipelineReport d = duck[0];
            String parameters = sameParameters(d.purchases().fit(), json[0].path("fit")) + "; "
                    + (d.spend() == null ? "no spend fit" : sameParameters(d.spend().fit(), json[0].path("spend_fit")));
            String agreement = sameScores(engine, d.score().runId(), output);
            String size = String.format(Locale.ROOT, "%,d customers, %,d lines", d.score().customers(), lines[0]);
            results.add(new BenchResult(name(), "Spark path, job incl. JVM + Spark start (" + size + ")", seconds(spark.seconds()),
                    "DuckDB path " + seconds(duckDb.seconds()), spark.seconds() / duckDb.seconds(), 0));
            results.add(new BenchResult(name(), "Spark RFM summary step (" + cores + " cores)",
                    String.format(Locale.ROOT, "%.2f s, %,.0f lines/s/core", summarySeconds, summaryLines / summarySeconds / cores),
                    String.format(Locale.ROOT, "DuckDB summary %.2f s, %,.0f lines/s/core", d.summarySeconds(),
                            lines[0] / d.summarySeconds() / CORES), summarySeconds / d.summarySeconds(), 0));
            results.add(new BenchResult(name(), "identical results: " + parameters, agreement, "Parquet export " + seconds(export.seconds()),
                    1, 0));
        }
        Files.deleteIfExists(store);
        return results;
    }

    /** The add-opens Spark needs on Java 17 (org.apache.spark.launcher.JavaModuleOptions; the module's surefire argLine has the same). */
    static final String SPARK_JVM_OPTIONS = "-XX:+IgnoreUnrecognizedVMOptions --add-opens=java.base/java.lang=ALL-UNNAMED"
            + " --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED"
            + " --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED"
            + " --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED"
            + " --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED"
            + " --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED"
            + " --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED"
            + " -Djdk.reflect.useDirectMethodHandle=false -Dio.netty.tryReflectionSetAccessible=true";

    private static Path jar() throws java.io.IOException {
        try (var files = Files.list(MODULE)) {
            return files.filter(f -> f.getFileName().toString().matches("clv-engine-spark-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no engine-spark jar in " + MODULE.toAbsolutePath()
                            + ": build it with mvn package -pl engine-spark -am"));
        }
    }

    /** "bgnbd r, alpha, a, b within 1e-6" or an exception naming the first parameter that differs. */
    private static String sameParameters(FitResult duck, JsonNode spark) {
        for (FitResult.Parameter p : duck.parameters()) {
            double s = spark.path("parameters").path(p.name()).path("value").asDouble(Double.NaN);
            if (Double.isNaN(p.value()) ? !Double.isNaN(s) : !(Math.abs(s - p.value()) <= 1e-6 * Math.abs(p.value()))) {
                throw new IllegalStateException(duck.model() + " parameter " + p.name() + ": DuckDB " + p.value() + ", Spark " + s);
            }
        }
        return duck.model() + " " + duck.parameters().stream().map(FitResult.Parameter::name).toList() + " within 1e-6";
    }

    /** Joins the Spark scores to customer_scores by customer; throws unless every customer agrees to 1e-9 relative. */
    private static String sameScores(Engine engine, long runId, Path output) throws Exception {
        String parquet = output.resolve("*.parquet").toString().replace("'", "''");
        String rel = "abs(d.%1$s - s.%1$s) / greatest(abs(d.%1$s), abs(s.%1$s), 1e-300)";
        String sql = "SELECT (SELECT count(*) FROM customer_scores WHERE run_id = " + runId + "), count(*), greatest("
                + String.join(", ", List.of("p_alive", "expected_purchases", "expected_spend", "clv", "historic_clv").stream()
                        .map(c -> "max(" + String.format(rel, c) + ")").toList())
                + ") FROM (SELECT * FROM customer_scores WHERE run_id = " + runId + ") d JOIN read_parquet('" + parquet + "') s USING (customer_id)";
        try (Connection c = engine.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            long customers = rs.getLong(1);
            long matched = rs.getLong(2);
            double worst = rs.getDouble(3);
            if (matched != customers || !(worst <= 1e-9)) {
                throw new IllegalStateException("Spark and DuckDB scores differ: " + matched + " of " + customers
                        + " customers matched, largest relative difference " + worst);
            }
            return String.format(Locale.ROOT, "%,d customers, largest relative difference %.1e", customers, worst);
        }
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.2f s", s);
    }

    private static String tail(String s) {
        return s.length() <= 4000 ? s : s.substring(s.length() - 4000);
    }
}
