package io.clvanalytics.spark;

import io.clvanalytics.engine.clv.CustomerScorer;
import java.io.Serializable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Scores the summary's customers partition by partition with the engine's {@link CustomerScorer}:
 * each partition is read in batches of {@value #BATCH} customers, so the per-(frequency, T)
 * predictions are computed once per batch and memory stays bounded whatever the partition size.
 */
final class ScorePartitions implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;
    static final int BATCH = 65_536;

    /** The output columns: {@code customer_scores}' own, then the run's model and parameters (JSON, as {@code model_runs}). */
    static final StructType SCHEMA = new StructType()
            .add("run_id", DataTypes.LongType, false)
            .add("spend_run_id", DataTypes.LongType, true)
            .add("customer_id", DataTypes.LongType, false)
            .add("frequency", DataTypes.DoubleType, false)
            .add("recency", DataTypes.DoubleType, false)
            .add("t", DataTypes.DoubleType, false)
            .add("monetary_value", DataTypes.DoubleType, false)
            .add("p_alive", DataTypes.DoubleType, false)
            .add("expected_purchases", DataTypes.DoubleType, false)
            .add("expected_spend", DataTypes.DoubleType, true)
            .add("clv", DataTypes.DoubleType, true)
            .add("horizon", DataTypes.DoubleType, false)
            .add("discount_rate", DataTypes.DoubleType, false)
            .add("scored_at", DataTypes.TimestampType, false)
            .add("historic_clv", DataTypes.DoubleType, true)
            .add("p_purchases_0", DataTypes.DoubleType, false)
            .add("p_purchases_1", DataTypes.DoubleType, false)
            .add("p_purchases_2", DataTypes.DoubleType, false)
            .add("p_purchases_3_plus", DataTypes.DoubleType, false)
            .add("model", DataTypes.StringType, false)
            .add("parameters_json", DataTypes.StringType, false)
            .add("spend_parameters_json", DataTypes.StringType, true);

    /** The runs every score row carries. */
    record Run(long runId, Long spendRunId, String model, String parametersJson, String spendParametersJson, int horizonMonths,
            double discountRate, Instant scoredAt) implements Serializable {}

    private final CustomerScorer scorer;
    private final Run run;

    private ScorePartitions(CustomerScorer scorer, Run run) {
        this.scorer = scorer;
        this.run = run;
    }

    /** The scores of every customer of {@code summary} (the columns of {@link SparkRfmSummary}'s query). */
    static Dataset<Row> apply(Dataset<Row> summary, CustomerScorer scorer, Run run) {
        return summary.select("customer_id", "frequency", "recency", "T", "t_days", "monetary_value", "calibration_amount")
                .mapPartitions(new ScorePartitions(scorer, run), Encoders.row(SCHEMA));
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        return new Iterator<>() {
            private Iterator<Row> batch = List.<Row>of().iterator();

            @Override
            public boolean hasNext() {
                if (!batch.hasNext() && input.hasNext()) {
                    batch = score(input);
                }
                return batch.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                return batch.next();
            }
        };
    }

    private Iterator<Row> score(Iterator<Row> input) {
        List<Row> rows = new ArrayList<>(BATCH);
        while (rows.size() < BATCH && input.hasNext()) {
            rows.add(input.next());
        }
        int n = rows.size();
        double[] x = new double[n], r = new double[n], t = new double[n], m = new double[n], amount = new double[n];
        int[] tenure = new int[n];
        for (int i = 0; i < n; i++) {
            Row row = rows.get(i);
            x[i] = row.getInt(1);
            r[i] = row.getDouble(2);
            t[i] = row.getDouble(3);
            tenure[i] = row.getInt(4);
            m[i] = row.getDouble(5);
            amount[i] = row.getDouble(6);
        }
        CustomerScorer.Scores s = scorer.score(x, r, t, tenure, m, amount);
        Timestamp at = Timestamp.from(run.scoredAt());
        List<Row> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(RowFactory.create(run.runId(), run.spendRunId(), rows.get(i).getLong(0), x[i], r[i], t[i], m[i],
                    s.probabilityAlive()[i], s.expectedPurchases()[i], orNull(s.expectedSpend()[i]), orNull(s.clv()[i]),
                    (double) run.horizonMonths(), run.discountRate(), at, orNull(s.historicClv()[i]),
                    s.purchases()[0][i], s.purchases()[1][i], s.purchases()[2][i], s.purchases()[3][i],
                    run.model(), run.parametersJson(), run.spendParametersJson()));
        }
        return out.iterator();
    }

    /** NaN (no amounts in the data) is written as null, as the engine stores it. */
    private static Double orNull(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
