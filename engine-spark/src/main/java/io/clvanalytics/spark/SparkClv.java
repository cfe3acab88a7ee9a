package io.clvanalytics.spark;

import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.clv.ClvService;
import io.clvanalytics.engine.clv.CompressedFits;
import io.clvanalytics.engine.clv.CustomerScorer;
import io.clvanalytics.engine.clv.FitResult;
import io.clvanalytics.engine.clv.GammaGammaModel;
import io.clvanalytics.engine.clv.RfmData;
import io.clvanalytics.engine.clv.RfmSummary;
import io.clvanalytics.engine.clv.SpendData;
import io.clvanalytics.engine.clv.TimeUnit;
import io.clvanalytics.engine.CalculationException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The engine's CLV pipeline on Spark: the RFM summary as a distributed aggregation
 * ({@link SparkRfmSummary}), the fits on its compressed rows collected to the driver with the
 * engine's own model code ({@link CompressedFits}), the scores as a map over partitions with the
 * engine's {@link CustomerScorer}, written as Parquet.
 *
 * <p>What runs is what the DuckDB path stores for the same options:
 * <ul>
 *   <li>without a calibration end: {@code clv score --refit} (one summary of the whole history for
 *       both fits and the scores);</li>
 *   <li>with one: {@code clv fit --model M} and {@code clv fit --model gg} on the calibration/holdout
 *       split (each with its holdout comparison), then {@code clv score --model M}, which scores the
 *       whole history with those runs.</li>
 * </ul>
 * As in the engine, only the fits on a split use {@code returns} and {@code timing}; the whole-history summary of
 * the scores counts purchase days with returns excluded.
 */
public final class SparkClv {

    /** The view the transactions are registered as during a run. */
    static final String VIEW = "clv_transactions";

    private SparkClv() {}

    /**
     * A run's inputs, validated here once (the job's flags map onto them).
     *
     * @param runId id of the purchase model run in the output; the spend run is {@code runId + 1}
     */
    public record Options(String input, String output, String model, RfmSummary.Options split, int horizonMonths, double discountRate,
            double penalizer, long runId) {
        public Options {
            if (!Set.of("bgnbd", "pnbd", "mbgnbd").contains(model)) {
                throw new DataValidationException("--model: must be a purchase model, bgnbd, pnbd or mbgnbd (" + model + ")");
            }
            if (horizonMonths < 1 || horizonMonths > 1200) {
                throw new DataValidationException("--horizon: must be a whole number of months from 1 to 1200 (" + horizonMonths + ")");
            }
            if (!(discountRate >= 0) || !(discountRate < 10)) {
                throw new DataValidationException("--discount-rate: must be a monthly rate >= 0 and < 10 (" + discountRate + ")");
            }
            if (!(penalizer >= 0) || !Double.isFinite(penalizer)) {
                throw new DataValidationException("--penalizer: must be a number >= 0 (" + penalizer + ")");
            }
            if (split.holdoutEnd() != null && split.calibrationEnd() == null) {
                throw new DataValidationException("--holdout-end: needs --calibration-end (the holdout starts the day after it)");
            }
        }
    }

    /**
     * What a run did: the reports {@code clv score --refit --json} prints, and the figures a
     * benchmark needs: the summary's wall time and the transaction lines it read.
     */
    public record Result(ClvService.FitReport purchases, ClvService.FitReport spend, ClvService.ScoreReport score,
            double summarySeconds, long transactionLines) {}

    /** Runs the pipeline on {@code spark} and writes the scores to {@code o.output()} (which must not exist yet). */
    public static Result run(SparkSession spark, Options o, Clock clock) {
        spark.conf().set("spark.sql.session.timeZone", "UTC");
        requireNewOutput(spark, o.output());
        Dataset<Row> transactions = read(spark, o.input());
        transactions.createOrReplaceTempView(VIEW);
        boolean amounts = SparkRfmSummary.hasAmounts(spark, VIEW);
        TimeUnit unit = o.split().unit();
        RfmSummary.Options whole = new RfmSummary.Options(null, null, unit, null);
        long lines = transactions.count();

        long t0 = System.nanoTime();
        SparkRfmSummary.Summary scoring = materialize(SparkRfmSummary.create(spark, VIEW, whole));
        double summarySeconds = (System.nanoTime() - t0) / 1e9;
        SparkRfmSummary.Summary fitting = o.split().calibrationEnd() == null ? scoring
                : materialize(SparkRfmSummary.create(spark, VIEW, o.split()));
        try {
            Instant now = clock.instant();
            ClvService.FitReport purchases = fitPurchases(o, fitting, now);
            ClvService.FitReport spend = fitSpend(o, fitting, amounts, now);
            ClvService.ScoreReport score = score(spark, o, scoring, purchases, spend, amounts, clock);
            return new Result(purchases, spend, score, summarySeconds, lines);
        } finally {
            scoring.rows().unpersist();
            fitting.rows().unpersist();
        }
    }

    private static Dataset<Row> read(SparkSession spark, String input) {
        Dataset<Row> t;
        try {
            t = spark.read().parquet(input);
        } catch (Exception e) {
            // Spark reports a missing path or a file that is not Parquet as an (undeclared, checked) AnalysisException.
            throw new DataValidationException("--input: " + input + " is not a readable Parquet data set (" + e.getMessage() + ")");
        }
        List<String> have = Arrays.asList(t.columns());
        List<String> missing = SparkRfmSummary.COLUMNS.stream().filter(c -> !have.contains(c)).toList();
        if (!missing.isEmpty()) {
            throw new DataValidationException("--input: " + input + " lacks the transactions column(s) " + missing
                    + " (it needs " + SparkRfmSummary.COLUMNS + ", the engine's transactions table)");
        }
        return t;
    }

    private static void requireNewOutput(SparkSession spark, String output) {
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(output);
            if (p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
                throw new DataValidationException("--output: " + output + " exists; give a new path (scores are never written over)");
            }
        } catch (java.io.IOException e) {
            throw new DataValidationException("--output: " + output + " cannot be checked (" + e.getMessage() + ")");
        }
    }

    /** Caches the summary and counts its customers (the first full pass; the engine's empty-window check). */
    private static SparkRfmSummary.Summary materialize(SparkRfmSummary.Summary s) {
        Dataset<Row> rows = s.rows().persist(StorageLevel.MEMORY_AND_DISK());
        long customers = rows.count();
        RfmSummary.Window w = s.window();
        if (customers == 0) {
            throw new DataValidationException("--calibration-end: no customer made a first purchase by " + w.calibrationEnd());
        }
        return new SparkRfmSummary.Summary(rows,
                new RfmSummary.Window(w.firstDate(), w.calibrationEnd(), w.holdoutEnd(), w.unit(), customers));
    }

    private static ClvService.FitReport fitPurchases(Options o, SparkRfmSummary.Summary s, Instant now) {
        RfmData d = SparkRfmSummary.compressed(s.rows());
        FitResult fit = CompressedFits.fitPurchases(o.model(), d, o.penalizer());
        ClvService.Holdout holdout = null;
        if (s.window().holdoutEnd() != null) {
            double[][] c = SparkRfmSummary.columns(s.rows().groupBy("frequency", "recency", "T", "frequency_holdout").count(), 5);
            holdout = CompressedFits.purchaseHoldout(o.model(), fit, s.window().holdoutDuration(), c[0], c[1], c[2], c[3], c[4]);
        }
        return new ClvService.FitReport(o.runId(), o.model(), s.window(), fit, holdout, now);
    }

    /** The Gamma-Gamma run, or null when it is impossible (no amounts, nobody repeated): spend then comes from history. */
    private static ClvService.FitReport fitSpend(Options o, SparkRfmSummary.Summary s, boolean amounts, Instant now) {
        if (!amounts) {
            return null;
        }
        SpendData spend = SparkRfmSummary.spend(s.rows());
        if (spend.size() == 0) {
            return null;
        }
        FitResult fit;
        try {
            fit = CompressedFits.fitSpend(spend, o.penalizer());
        } catch (CalculationException infiniteMean) {
            return null;
        }
        ClvService.Holdout holdout = null;
        if (s.window().holdoutEnd() != null) {
            double[][] c = SparkRfmSummary.columns(s.rows().where("frequency_holdout > 0")
                    .groupBy("frequency", "monetary_value", "monetary_value_holdout").count(), 4);
            holdout = CompressedFits.spendHoldout(fit, c[0], c[1], c[2], c[3]);
        }
        return new ClvService.FitReport(o.runId() + 1, GammaGammaModel.NAME, s.window(), fit, holdout, now);
    }

    private static ClvService.ScoreReport score(SparkSession spark, Options o, SparkRfmSummary.Summary s, ClvService.FitReport purchases,
            ClvService.FitReport spend, boolean amounts, Clock clock) {
        double churn = SparkRfmSummary.monthlyChurn(s.rows());
        CustomerScorer scorer = CustomerScorer.of(o.model(), purchases.fit(), spend == null ? null : spend.fit(), purchases.window().unit(),
                o.horizonMonths(), o.discountRate(), churn, amounts);
        Instant scoredAt = clock.instant();
        ScorePartitions.Run run = new ScorePartitions.Run(purchases.runId(), spend == null ? null : spend.runId(), o.model(),
                ClvService.parametersJson(purchases.fit()).toString(), spend == null ? null : ClvService.parametersJson(spend.fit()).toString(),
                o.horizonMonths(), o.discountRate(), scoredAt);
        Dataset<Row> scores = ScorePartitions.apply(s.rows(), scorer, run);
        scores.write().parquet(o.output());
        Row t = spark.read().parquet(o.output()).selectExpr("count(*)", "coalesce(sum(clv), 0)", "coalesce(sum(historic_clv), 0)",
                "coalesce(sum(expected_purchases), 0)", "coalesce(avg(p_alive), 0)").first();
        LocalDate asOf = s.window().calibrationEnd();
        return new ClvService.ScoreReport(purchases.runId(), spend == null ? null : spend.runId(), o.model(), asOf, o.horizonMonths(),
                o.discountRate(), t.getLong(0), t.getDouble(1), t.getDouble(2), t.getDouble(3), t.getDouble(4), churn, scoredAt,
                ClvService.scoreWarning(purchases.warning(), amounts));
    }

    /** The Parquet columns of the scores, in order (those of {@code customer_scores} plus the run's model and parameters). */
    public static List<String> scoreColumns() {
        return new ArrayList<>(Arrays.asList(ScorePartitions.SCHEMA.fieldNames()));
    }
}
