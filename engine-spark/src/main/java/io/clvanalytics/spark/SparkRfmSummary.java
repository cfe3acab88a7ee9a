package io.clvanalytics.spark;

import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.clv.RfmData;
import io.clvanalytics.engine.clv.RfmSummary;
import io.clvanalytics.engine.clv.SpendData;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The engine's RFM summary ({@link RfmSummary}) in Spark SQL over a transactions dataset with the
 * engine's column names ({@code id, customer_id, order_id, date, ts, amount, is_return}; others are
 * ignored). The rules are the engine's, statement for statement: a purchase line is one that is not
 * a return ({@code is_return} or a negative amount); a purchase is a customer's day, order or
 * timestamped order ({@link RfmSummary.Timing}); returns are excluded or netted
 * ({@link RfmSummary.Returns}); the options and their validation are the engine's
 * {@link RfmSummary.Options}, the window its {@link RfmSummary.Window}. The query is the DuckDB one
 * translated to Spark's dialect (the engine's SQL is DuckDB's own: {@code arg_min}, {@code epoch_us},
 * HUGEINT bits), with named parameters and fixed fragments chosen by the enums, never input.
 *
 * <p>One difference of form: {@code active_months} is an array of the months back (0..126) with a
 * calibration purchase instead of DuckDB's 127-bit HUGEINT (Spark has no 128-bit integer); the
 * monthly churn counted from it is the same.
 */
final class SparkRfmSummary {

    /** Columns the summary reads; the dataset must have all of them. */
    static final List<String> COLUMNS = List.of("id", "customer_id", "order_id", "date", "ts", "amount", "is_return");

    private SparkRfmSummary() {}

    /** The summary and its window. {@code rows} has the columns of {@link RfmSummary}'s table. */
    record Summary(Dataset<Row> rows, RfmSummary.Window window) {}

    /**
     * Summarises {@code transactions} (registered as a view by the caller) with {@code o}.
     *
     * @throws DataValidationException with the engine's messages for an empty store or a calibration end outside the data
     */
    static Summary create(SparkSession spark, String view, RfmSummary.Options o) {
        LocalDate[] range = purchaseRange(spark, view);
        if (range == null) {
            throw new DataValidationException("transactions: the data set has no purchases to summarise");
        }
        LocalDate calibrationEnd = o.calibrationEnd() == null ? range[1] : o.calibrationEnd();
        if (calibrationEnd.isBefore(range[0])) {
            throw new DataValidationException("--calibration-end: " + calibrationEnd + " is before the first purchase (" + range[0] + ")");
        }
        if (calibrationEnd.isAfter(range[1])) {
            throw new DataValidationException("--calibration-end: " + calibrationEnd + " is after the last purchase in the data set ("
                    + range[1] + "); the calibration period must end on or before it");
        }
        LocalDate observationEnd = o.holdoutEnd() == null ? calibrationEnd : o.holdoutEnd();
        if (o.timing() == RfmSummary.Timing.TIMESTAMP) {
            requireTimestamps(spark, view, observationEnd);
        }
        boolean net = o.returns() == RfmSummary.Returns.NET;
        Dataset<Row> rows = spark.sql(sql(view, o.timing(), net, o.holdoutEnd() != null),
                Map.of("cal", calibrationEnd, "obs", observationEnd, "days", o.unit().days()));
        return new Summary(rows, new RfmSummary.Window(range[0], calibrationEnd, o.holdoutEnd(), o.unit(), -1));
    }

    /** The summary query: {@code RfmSummary}'s, fragment for fragment; :cal, :obs, :days its $1, $2, $3. */
    static String sql(String view, RfmSummary.Timing timing, boolean net, boolean holdout) {
        String eventKey = switch (timing) {
            case DAY -> "";
            case ORDER -> ", coalesce(order_id, CAST(id AS STRING))";
            case TIMESTAMP -> ", coalesce(order_id, CAST(id AS STRING)), ts";
        };
        boolean exact = timing == RfmSummary.Timing.TIMESTAMP;
        String isReturn = "(is_return OR coalesce(amount, 0) < 0)";
        String days = net ? """
                    SELECT customer_id, date%s,
                           bool_or(NOT RET) AS purchase,
                           coalesce(sum(amount) FILTER (WHERE NOT RET), 0) AS amount,
                           coalesce(sum(amount) FILTER (WHERE RET), 0) AS returned
                    FROM VIEW
                    WHERE date <= :obs AND customer_id IS NOT NULL
                    GROUP BY customer_id, date%s
                """ : """
                    SELECT customer_id, date%s, TRUE AS purchase, sum(amount) AS amount
                    FROM VIEW
                    WHERE date <= :obs AND customer_id IS NOT NULL AND NOT RET
                    GROUP BY customer_id, date%s
                """;
        String first = timing == RfmSummary.Timing.DAY ? "" : ", min(id) AS first_id";
        days = String.format(days, (exact ? ", min(CAST(ts AS TIMESTAMP)) AS ts" : "") + first, eventKey);
        String purchase = net ? " FILTER (WHERE purchase)" : "";
        String calibration = holdout ? (net ? " FILTER (WHERE purchase AND date <= :cal)" : " FILTER (WHERE date <= :cal)") : purchase;
        String inHoldout = net ? " FILTER (WHERE purchase AND date > :cal)" : " FILTER (WHERE date > :cal)";
        String returned = !net ? """
                           0 AS cal_returned, 0 AS holdout_returned,
                """ : holdout ? """
                           coalesce(sum(returned) FILTER (WHERE date <= :cal), 0) AS cal_returned,
                           coalesce(sum(returned) FILTER (WHERE date > :cal), 0) AS holdout_returned,
                """ : """
                           coalesce(sum(returned), 0) AS cal_returned, 0 AS holdout_returned,
                """;
        String times = exact ? """
                           min(ts)PURCHASE AS first_ts,
                           max(ts)CALIBRATION AS last_ts,
                           min_by(amount, struct(ts, first_id))PURCHASE AS first_amount,
                """ : timing == RfmSummary.Timing.ORDER ? """
                           min_by(amount, struct(date, first_id))PURCHASE AS first_amount,
                """ : """
                           min_by(amount, date)PURCHASE AS first_amount,
                """;
        String recency = exact ? "(unix_micros(last_ts) - unix_micros(first_ts)) / (86400e6 * :days)"
                : "datediff(last_date, first_date) / :days";
        String t = exact ? "(unix_micros(CAST(:cal AS TIMESTAMP) + INTERVAL 1 DAY) - unix_micros(first_ts)) / (86400e6 * :days)"
                : "datediff(:cal, first_date) / :days";
        String sql = """
                WITH days AS (
                """ + days + """
                ), per_customer AS (
                    SELECT customer_id,
                           min(date)PURCHASE AS first_date,
                           count(*)CALIBRATION AS cal_days,
                           max(date)CALIBRATION AS last_date,
                           sum(amount)CALIBRATION AS cal_amount,
                """ + times + returned + """
                           array_sort(collect_set(CASE WHEN months_back BETWEEN 0 AND ACTIVE_MONTHS - 1 THEN months_back END)CALIBRATION)
                               AS active_months,
                """ + (holdout ? """
                           count(*)HOLDOUT AS holdout_days,
                           coalesce(sum(amount)HOLDOUT, 0) AS holdout_amount
                """ : """
                           0 AS holdout_days, 0 AS holdout_amount
                """) + """
                    FROM (SELECT *, year(:cal) * 12 + month(:cal) - year(date) * 12 - month(date) AS months_back FROM days)
                    GROUP BY customer_id
                    HAVING min(date)PURCHASE <= :cal
                )
                SELECT customer_id, first_date,
                       CAST(cal_days - 1 AS INT) AS frequency,
                       CAST(datediff(last_date, first_date) AS INT) AS recency_days,
                       CAST(datediff(:cal, first_date) AS INT) AS t_days,
                       """ + recency + " " + """
                 AS recency,
                       """ + t + " " + """
                 AS T,
                       CASE WHEN cal_days > 1
                            THEN greatest(0D, CAST(cal_amount - first_amount + cal_returned AS DOUBLE) / (cal_days - 1))
                            ELSE 0D END AS monetary_value,
                       greatest(0D, CAST(cal_amount + cal_returned AS DOUBLE)) AS calibration_amount,
                       CAST(holdout_days AS INT) AS frequency_holdout,
                       CASE WHEN holdout_days > 0
                            THEN greatest(0D, CAST(holdout_amount + holdout_returned AS DOUBLE) / holdout_days)
                            ELSE 0D END AS monetary_value_holdout,
                       datediff(:obs, :cal) / :days AS duration_holdout,
                       active_months
                FROM per_customer
                """;
        return sql.replace("ACTIVE_MONTHS", Integer.toString(RfmSummary.ACTIVE_MONTHS))
                .replace("PURCHASE", purchase).replace("CALIBRATION", calibration).replace("HOLDOUT", inHoldout)
                .replace("RET", isReturn).replace("VIEW", view);
    }

    private static void requireTimestamps(SparkSession spark, String view, LocalDate observationEnd) {
        Row r = spark.sql("SELECT count(*), min(id) FROM " + view + " WHERE ts IS NULL AND date <= :obs AND customer_id IS NOT NULL"
                + " AND NOT (is_return OR coalesce(amount, 0) < 0)", Map.of("obs", observationEnd)).first();
        if (r.getLong(0) > 0) {
            throw new DataValidationException("transactions.ts: " + r.getLong(0) + " purchase lines have no timestamp (first id "
                    + r.get(1) + "); --purchases timestamp needs one on every purchase line (use day or order)");
        }
    }

    /** First and last purchase day in the data, or null when there is none. */
    static LocalDate[] purchaseRange(SparkSession spark, String view) {
        Row r = spark.sql("SELECT min(date), max(date) FROM " + view + " WHERE NOT (is_return OR coalesce(amount, 0) < 0)").first();
        return r.isNullAt(0) ? null : new LocalDate[] {localDate(r.get(0)), localDate(r.get(1))};
    }

    /** Whether any purchase line has an amount (the engine's {@code hasAmounts}). */
    static boolean hasAmounts(SparkSession spark, String view) {
        return !spark.sql("SELECT 1 FROM " + view + " WHERE amount IS NOT NULL LIMIT 1").isEmpty();
    }

    static LocalDate localDate(Object o) {
        return o instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) o;
    }

    /** The summary compressed to distinct (frequency, recency, T) rows with counts, sorted as the engine's. */
    static RfmData compressed(Dataset<Row> summary) {
        double[][] c = columns(summary.groupBy("frequency", "recency", "T").count()
                .orderBy("frequency", "recency", "T"), 4);
        return new RfmData(c[0], c[1], c[2], c[3]);
    }

    /** Repeat customers with positive spend, compressed to distinct (frequency, monetary value), as the engine's. */
    static SpendData spend(Dataset<Row> summary) {
        double[][] c = columns(summary.where("frequency > 0 AND monetary_value > 0").groupBy("frequency", "monetary_value").count()
                .orderBy("frequency", "monetary_value"), 3);
        return new SpendData(c[0], c[1], c[2]);
    }

    /** The first {@code width} numeric columns of a small result collected to the driver, one array per column. */
    static double[][] columns(Dataset<Row> small, int width) {
        List<Row> rows = small.collectAsList();
        double[][] out = new double[width][rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < width; j++) {
                out[j][i] = ((Number) rows.get(i).get(j)).doubleValue();
            }
        }
        return out;
    }

    /**
     * Monthly churn as the engine counts it from {@code active_months}: 1 − (customer-months before
     * the calibration end's month followed by a purchase in the next month / those customer-months); 1 when there are none.
     */
    static double monthlyChurn(Dataset<Row> summary) {
        Row r = summary.selectExpr(
                "coalesce(sum(size(filter(active_months, k -> k >= 1))), 0)",
                "coalesce(sum(size(filter(active_months, k -> k >= 1 AND array_contains(active_months, k - 1)))), 0)").first();
        long months = ((Number) r.get(0)).longValue();
        return months == 0 ? 1 : 1 - (double) ((Number) r.get(1)).longValue() / months;
    }
}
