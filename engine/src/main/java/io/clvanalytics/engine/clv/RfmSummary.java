package io.clvanalytics.engine.clv;

import io.clvanalytics.engine.DataValidationException;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The RFM summary of the store's transactions, computed by DuckDB in one aggregation pipeline.
 *
 * <p><b>In:</b> table {@code transactions(customer_id, date, amount, is_return)}; rows after the
 * observation end are ignored.
 *
 * <p>A purchase is a customer's day with at least one purchase line (same-day purchases merged, as
 * in the published CDNOW analyses), or each order when {@link Options#mergeSameDay()} is false.
 *
 * <p><b>Out:</b> temporary table {@value #TABLE} on the given connection, one row per customer
 * whose first purchase is on or before the calibration end:
 * <pre>
 *   customer_id            BIGINT
 *   first_date             DATE     first purchase day
 *   frequency              INTEGER  repeat purchases in the calibration period
 *   recency_days, t_days   INTEGER  first to last purchase day, first purchase day to calibration end
 *   recency, T             DOUBLE   the same in the chosen time unit
 *   monetary_value         DOUBLE   mean of the repeat purchase days' summed amounts (0 when frequency = 0)
 *   calibration_amount     DOUBLE   all purchase days' amounts in the calibration period, first included
 *   frequency_holdout      INTEGER  purchase days after the calibration end up to the holdout end (0 without holdout)
 *   monetary_value_holdout DOUBLE   mean of those days' amounts (0 when none)
 *   duration_holdout       DOUBLE   holdout length in the time unit (0 without holdout)
 * </pre>
 * Returns (rows with {@code is_return} or a negative amount) are excluded by default; with
 * {@link Returns#NET} they still never make a purchase day, but their amounts within a period are
 * subtracted from that period's repeat spend before averaging (floored at 0).
 */
public final class RfmSummary {

    /** Name of the temporary table the summary is written to. */
    public static final String TABLE = "clv_rfm";

    /** How returns enter the monetary value. */
    public enum Returns { EXCLUDE, NET }

    /**
     * What to summarise.
     *
     * @param calibrationEnd last day of the calibration period, or null for the last transaction day
     * @param holdoutEnd     last day of the holdout period, or null for none
     * @param mergeSameDay   true (the default): a customer's purchases on one day are one purchase;
     *                       false: each order ({@code order_id}, else each row) is one purchase
     */
    public record Options(LocalDate calibrationEnd, LocalDate holdoutEnd, TimeUnit unit, Returns returns, boolean mergeSameDay) {

        /** Options that merge same-day purchases (the published convention). */
        public Options(LocalDate calibrationEnd, LocalDate holdoutEnd, TimeUnit unit, Returns returns) {
            this(calibrationEnd, holdoutEnd, unit, returns, true);
        }

        public Options {
            unit = unit == null ? TimeUnit.WEEK : unit;
            returns = returns == null ? Returns.EXCLUDE : returns;
            if (holdoutEnd != null && calibrationEnd != null && !holdoutEnd.isAfter(calibrationEnd)) {
                throw new DataValidationException("--holdout-end: " + holdoutEnd + " must be after --calibration-end " + calibrationEnd);
            }
            if (holdoutEnd != null && calibrationEnd == null) {
                throw new DataValidationException("--holdout-end: needs --calibration-end (the holdout starts the day after it)");
            }
        }

        /** The whole history, in weeks, returns excluded. */
        public static Options wholeHistory() {
            return new Options(null, null, TimeUnit.WEEK, Returns.EXCLUDE);
        }
    }

    /** The data window a summary covers. */
    public record Window(LocalDate firstDate, LocalDate calibrationEnd, LocalDate holdoutEnd, TimeUnit unit, long customers) {
        /** Holdout length in the time unit, 0 without holdout. */
        public double holdoutDuration() {
            return holdoutEnd == null ? 0 : ChronoUnit.DAYS.between(calibrationEnd, holdoutEnd) / unit.days();
        }
    }

    private RfmSummary() {}

    /**
     * Builds {@value #TABLE} on {@code c} (replacing an earlier one) and returns its window.
     *
     * @throws DataValidationException when there are no purchases in the calibration period
     */
    public static Window create(Connection c, Options o) throws SQLException {
        LocalDate[] range = purchaseRange(c);
        if (range == null) {
            throw new DataValidationException("transactions: the store has no purchases to summarise (import or generate data first)");
        }
        LocalDate calibrationEnd = o.calibrationEnd() == null ? range[1] : o.calibrationEnd();
        if (calibrationEnd.isBefore(range[0])) {
            throw new DataValidationException("--calibration-end: " + calibrationEnd + " is before the first purchase (" + range[0] + ")");
        }
        LocalDate observationEnd = o.holdoutEnd() == null ? calibrationEnd : o.holdoutEnd();
        boolean net = o.returns() == Returns.NET;
        String sql = """
                CREATE OR REPLACE TEMP TABLE clv_rfm AS
                WITH days AS (
                    SELECT customer_id, date,
                           bool_or(NOT (is_return OR amount < 0)) AS purchase,
                           coalesce(sum(amount) FILTER (WHERE NOT (is_return OR amount < 0)), 0)::DOUBLE AS amount,
                           coalesce(sum(amount) FILTER (WHERE is_return OR amount < 0), 0)::DOUBLE AS returned
                    FROM transactions
                    WHERE date <= $2 AND customer_id IS NOT NULL
                    GROUP BY customer_id, date, CASE WHEN $5 THEN NULL ELSE coalesce(order_id, id::VARCHAR) END
                ), per_customer AS (
                    SELECT customer_id,
                           min(date) FILTER (WHERE purchase) AS first_date,
                           count(*) FILTER (WHERE purchase AND date <= $1) AS cal_days,
                           max(date) FILTER (WHERE purchase AND date <= $1) AS last_date,
                           sum(amount) FILTER (WHERE purchase AND date <= $1) AS cal_amount,
                           arg_min(amount, date) FILTER (WHERE purchase) AS first_amount,
                           coalesce(sum(returned) FILTER (WHERE date <= $1), 0) AS cal_returned,
                           count(*) FILTER (WHERE purchase AND date > $1) AS holdout_days,
                           coalesce(sum(amount) FILTER (WHERE purchase AND date > $1), 0) AS holdout_amount,
                           coalesce(sum(returned) FILTER (WHERE date > $1), 0) AS holdout_returned
                    FROM days
                    GROUP BY customer_id
                    HAVING min(date) FILTER (WHERE purchase) <= $1
                )
                SELECT customer_id, first_date,
                       (cal_days - 1)::INTEGER AS frequency,
                       date_diff('day', first_date, last_date)::INTEGER AS recency_days,
                       date_diff('day', first_date, $1)::INTEGER AS t_days,
                       date_diff('day', first_date, last_date) / $3 AS recency,
                       date_diff('day', first_date, $1) / $3 AS T,
                       CASE WHEN cal_days > 1
                            THEN greatest(0, (cal_amount - first_amount + CASE WHEN $4 THEN cal_returned ELSE 0 END) / (cal_days - 1))
                            ELSE 0 END AS monetary_value,
                       greatest(0, cal_amount + CASE WHEN $4 THEN cal_returned ELSE 0 END) AS calibration_amount,
                       holdout_days::INTEGER AS frequency_holdout,
                       CASE WHEN holdout_days > 0
                            THEN greatest(0, (holdout_amount + CASE WHEN $4 THEN holdout_returned ELSE 0 END) / holdout_days)
                            ELSE 0 END AS monetary_value_holdout,
                       date_diff('day', $1, $2) / $3 AS duration_holdout
                FROM per_customer
                """;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, calibrationEnd);
            ps.setObject(2, observationEnd);
            ps.setDouble(3, o.unit().days());
            ps.setBoolean(4, net);
            ps.setBoolean(5, o.mergeSameDay());
            ps.execute();
        }
        long customers;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + TABLE)) {
            rs.next();
            customers = rs.getLong(1);
        }
        if (customers == 0) {
            throw new DataValidationException("--calibration-end: no customer made a first purchase by " + calibrationEnd);
        }
        return new Window(range[0], calibrationEnd, o.holdoutEnd(), o.unit(), customers);
    }

    /** First and last purchase day in the store, or null when there is none. */
    static LocalDate[] purchaseRange(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT min(date), max(date) FROM transactions WHERE NOT (is_return OR amount < 0)")) {
            rs.next();
            Date min = rs.getDate(1);
            return min == null ? null : new LocalDate[] {min.toLocalDate(), rs.getDate(2).toLocalDate()};
        }
    }

    /** The summary in {@value #TABLE} compressed to distinct (frequency, recency, T) rows. */
    public static RfmData compressed(Connection c) throws SQLException {
        return keyed(c).data();
    }

    /**
     * Distinct rows with the integer day keys ({@code frequency, recency_days, t_days}) that join
     * predictions back to {@value #TABLE}.
     */
    public record Keyed(RfmData data, int[] recencyDays, int[] tDays) {}

    /** The compressed summary with its join keys. */
    public static Keyed keyed(Connection c) throws SQLException {
        List<double[]> rows = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT frequency, recency_days, t_days, any_value(recency), any_value(T), count(*) FROM "
                     + TABLE + " GROUP BY frequency, recency_days, t_days ORDER BY frequency, recency_days, t_days")) {
            while (rs.next()) {
                rows.add(new double[] {rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getDouble(4), rs.getDouble(5), rs.getLong(6)});
            }
        }
        int[] recencyDays = new int[rows.size()];
        int[] tDays = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            recencyDays[i] = (int) rows.get(i)[1];
            tDays[i] = (int) rows.get(i)[2];
        }
        return new Keyed(new RfmData(column(rows, 0), column(rows, 3), column(rows, 4), column(rows, 5)), recencyDays, tDays);
    }

    /** Repeat customers with positive spend in {@value #TABLE}, compressed to distinct (frequency, monetary value). */
    public static SpendData spend(Connection c) throws SQLException {
        List<double[]> rows = new ArrayList<>();
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT frequency, monetary_value, count(*) FROM " + TABLE
                     + " WHERE frequency > 0 AND monetary_value > 0 GROUP BY ALL ORDER BY ALL")) {
            while (rs.next()) {
                rows.add(new double[] {rs.getInt(1), rs.getDouble(2), rs.getLong(3)});
            }
        }
        return new SpendData(column(rows, 0), column(rows, 1), column(rows, 2));
    }

    private static double[] column(List<double[]> rows, int j) {
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = rows.get(i)[j];
        }
        return out;
    }
}
