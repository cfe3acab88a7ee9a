package io.clvanalytics.spark;

import io.clvanalytics.engine.CalculationException;
import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.cli.ClvCli;
import io.clvanalytics.engine.cli.ClvJson;
import io.clvanalytics.engine.cli.Output;
import io.clvanalytics.engine.clv.RfmSummary;
import io.clvanalytics.engine.clv.TimeUnit;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code spark-submit} entry point: scores a Parquet transactions data set and prints the JSON
 * {@code clv score --refit --json} prints ({@link ClvJson#pipeline}). Exit codes as the {@code clv}
 * CLI's: 0 ok, 2 bad input (the message names the flag or column), 4 a model cannot be fitted on
 * this data, 1 a bug. Timings go to standard error, so standard output is the JSON alone.
 */
public final class SparkClvJob {

    static final String USAGE = "usage: spark-submit --class " + SparkClvJob.class.getName() + " clv-engine-spark.jar"
            + " --input PATH --output PATH [--model bgnbd|pnbd|mbgnbd] [--calibration-end DATE [--holdout-end DATE]]"
            + " [--time-unit day|week|month] [--horizon MONTHS] [--discount-rate R] [--penalizer X] [--returns exclude|net]"
            + " [--purchases day|order|timestamp] [--run-id N]";

    private static final List<String> FLAGS = List.of("--input", "--output", "--model", "--calibration-end", "--holdout-end",
            "--time-unit", "--horizon", "--discount-rate", "--penalizer", "--returns", "--purchases", "--run-id");

    private SparkClvJob() {}

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        SparkClv.Options options;
        try {
            options = parse(args);
        } catch (DataValidationException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE);
            System.exit(ClvCli.EXIT_BAD_INPUT);
            return;
        }
        SparkSession spark = SparkSession.builder().appName("clv-score").getOrCreate();
        int code;
        try {
            code = run(spark, options, out, err, Clock.systemUTC());
        } finally {
            spark.stop();
        }
        System.exit(code);
    }

    /** Runs a parsed job on {@code spark}; returns the exit code. */
    static int run(SparkSession spark, SparkClv.Options options, PrintWriter out, PrintWriter err, Clock clock) {
        try {
            SparkClv.Result r = SparkClv.run(spark, options, clock);
            err.printf(Locale.ROOT, "spark-clv: summary %.3f s over %d transaction lines on %d cores%n", r.summarySeconds(),
                    r.transactionLines(), spark.sparkContext().defaultParallelism());
            Output.json(out, ClvJson.pipeline(r.purchases(), r.spend(), r.score()));
            return ClvCli.EXIT_OK;
        } catch (DataValidationException e) {
            err.println("error: " + e.getMessage());
            return ClvCli.EXIT_BAD_INPUT;
        } catch (CalculationException e) {
            err.println("error: " + e.getMessage());
            return ClvCli.EXIT_FIT_FAILED;
        }
    }

    /**
     * Parses the flags (each {@code --flag VALUE}).
     *
     * @throws DataValidationException naming the flag and the rule it breaks
     */
    static SparkClv.Options parse(String[] args) {
        Map<String, String> v = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (!FLAGS.contains(flag)) {
                throw new DataValidationException(flag + ": unknown option (known: " + String.join(", ", FLAGS) + ")");
            }
            if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                throw new DataValidationException(flag + ": needs a value");
            }
            if (v.put(flag, args[++i]) != null) {
                throw new DataValidationException(flag + ": given twice");
            }
        }
        for (String required : List.of("--input", "--output")) {
            if (!v.containsKey(required)) {
                throw new DataValidationException(required + ": required (a path, local or any Hadoop file system URI)");
            }
        }
        RfmSummary.Returns returns = switch (v.getOrDefault("--returns", "exclude").toLowerCase(Locale.ROOT)) {
            case "exclude" -> RfmSummary.Returns.EXCLUDE;
            case "net" -> RfmSummary.Returns.NET;
            default -> throw new DataValidationException("--returns: must be exclude or net (" + v.get("--returns") + ")");
        };
        RfmSummary.Options split = new RfmSummary.Options(date(v, "--calibration-end"), date(v, "--holdout-end"),
                TimeUnit.parse(v.getOrDefault("--time-unit", "week")), returns,
                RfmSummary.Timing.parse(v.getOrDefault("--purchases", "day")));
        return new SparkClv.Options(v.get("--input"), v.get("--output"), v.getOrDefault("--model", "bgnbd"), split,
                (int) number(v, "--horizon", "12", true), number(v, "--discount-rate", "0.01", false),
                number(v, "--penalizer", "0", false), (long) number(v, "--run-id", "1", true));
    }

    private static LocalDate date(Map<String, String> v, String flag) {
        String s = v.get(flag);
        try {
            return s == null ? null : LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw new DataValidationException(flag + ": must be a date yyyy-MM-dd (" + s + ")");
        }
    }

    private static double number(Map<String, String> v, String flag, String otherwise, boolean whole) {
        String s = v.getOrDefault(flag, otherwise);
        try {
            return whole ? Long.parseLong(s) : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new DataValidationException(flag + ": must be " + (whole ? "a whole number" : "a number") + " (" + s + ")");
        }
    }
}
