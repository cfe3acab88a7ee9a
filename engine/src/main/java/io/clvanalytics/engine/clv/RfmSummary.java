package io.clvanalytics.engine.clv;

import io.clvanalytics.engine.DataValidationException;
import io.clvanalytics.engine.DataVersion;
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
 * in the published CDNOW analyses), or each order, see {@link Timing}. When several orders share the
 * first purchase day (or timestamp), the first purchase, whose amount the monetary value leaves
 * out, is the one with the smallest line id, so the summary is the same on every run and engine.
 *
 * <p><b>Out:</b> temporary table {@value #TABLE} on the given connection, one row per customer
 * whose first purchase is on or before the calibration end:
 * <pre>
 *   customer_id            BIGINT
 *   first_date             DATE     first purchase day
 *   frequency              INTEGER  repeat purchases in the calibration period
 *   recency_days, t_days   INTEGER  first to last purchase day, first purchase day to calibration end
 *   recency, T             DOUBLE   the same in the chosen time unit (exact times with {@link Timing#TIMESTAMP})
 *   monetary_value         DOUBLE   mean of the repeat purchase days' summed amounts (0 when frequency = 0)
 *   calibration_amount     DOUBLE   all purchase days' amounts in the calibration period, first included
 *   frequency_holdout      INTEGER  purchase days after the calibration end up to the holdout end (0 without holdout)
 *   monetary_value_holdout DOUBLE   mean of those days' amounts (0 when none)
 *   duration_holdout       DOUBLE   holdout length in the time unit (0 without holdout)
 *   active_months          HUGEINT  bit k set when the customer bought in the k-th calendar month before
 *                                   the calibration end's month (k = 0 that month itself, k &lt; {@value #ACTIVE_MONTHS})
 * </pre>
 * Returns (rows with {@code is_return} or a negative amount) are excluded by default; with
 * {@link Returns#NET} they still never make a purchase day, but their amounts within a period are
 * subtracted from that period's repeat spend before averaging (floored at 0).
 */
public final class RfmSummary {

    /** Name of the temporary table the summary is written to. */
    public static final String TABLE = "clv_rfm";
    /** Calendar months {@code active_months} covers, back from the calibration end's month. */
    public static final int ACTIVE_MONTHS = 127;

    /** How returns enter the monetary value. */
    public enum Returns { EXCLUDE, NET }

    /**
     * What counts as one purchase and how its time is measured.
     * <ul>
     *   <li>{@code DAY} (the default, the published CDNOW convention): a customer's purchase lines on
     *       one day are one purchase; times in whole days.</li>
     *   <li>{@code ORDER}: each order ({@code order_id}, else each row) is one purchase; times in whole days.</li>
     *   <li>{@code TIMESTAMP}: each order is one purchase at its exact {@code ts}; recency runs from
     *       the first to the last order's timestamp and T from the first order's timestamp to the end
     *       of the calibration end day. Every purchase line needs a {@code ts}. For data recorded
     *       in continuous time this is the models' own time scale: whole days round recency and T by
     *       up to a day, which biases the estimates for customers who buy every few days.</li>
     * </ul>
     */
    public enum Timing {
        DAY, ORDER, TIMESTAMP;

        /** Parses {@code day}, {@code order} or {@code timestamp} (the CLI's {@code --purchases}). */
        public static Timing parse(String s) {
            for (Timing t : values()) {
                if (t.name().equalsIgnoreCase(s)) {
                    return t;
                }
            }
            throw new DataValidationException("--purchases: must be day, order or timestamp (" + s + ")");
        }
    }

    /**
     * What to summarise.
     *
     * @param calibrationEnd last day of the calibration period, or null for the last transaction day
     * @param holdoutEnd     last day of the holdout period, or null for none
     * @param timing         what one purchase is and how its time is measured (null: {@link Timing#DAY})
     */
    public record Options(LocalDate calibrationEnd, LocalDate holdoutEnd, TimeUnit unit, Returns returns, Timing timing) {

        /** Options that merge same-day purchases (the published convention). */
        public Options(LocalDate calibrationEnd, LocalDate holdoutEnd, TimeUnit unit, Returns returns) {
            this(calibrationEnd, holdoutEnd, unit, returns, Timing.DAY);
        }

        public Options {
            unit = unit == null ? TimeUnit.WEEK : unit;
            returns = returns == null ? Returns.EXCLUDE : returns;
            timing = timing == null ? Timing.DAY : timing;
            if (holdoutEnd != null && calibrationEnd != null && !holdoutEnd.isAfter(calibrationEnd)) {
                throw new DataValidationException("--holdout-end: " + holdoutEnd + " must be after --calibration-end " + calibrationEnd);
            }
            if (holdoutEnd != null && calibrationEnd == null) {
                throw new DataValidationException("--holdout-end: needs --calibration-end (the holdout starts the day after it)");
            }
        }

        /** What identifies a summary with these options, once the calibration end is resolved. */
        String key(LocalDate resolvedCalibrationEnd) {
            return "calibration_end=" + resolvedCalibrationEnd + ";holdout_end=" + holdoutEnd + ";unit=" + unit.label()
                    + ";returns=" + returns + ";timing=" + timing;
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
        return create(c, o, false);
    }

    /**
     * As {@link #create(Connection, Options)}; with {@code repeatDays} (a fit with diagnostics follows), a summary
     * built afresh also keeps its repeat purchase days per day ({@code clv_summary_days}, what the tracking
     * diagnostics count) where they come from the summary's own customer-days: purchases merged per day, no
     * holdout, returns excluded and an amount on every purchase line. The diagnostics then skip their own
     * aggregation of the same lines.
     */
    public static Window create(Connection c, Options o, boolean repeatDays) throws SQLException {
        String version = DataVersion.transactions(c);
        boolean purchaseDays = PurchaseDays.current(c, version);
        LocalDate[] range = purchaseDays ? PurchaseDays.range(c) : purchaseRange(c);
        if (range == null) {
            throw new DataValidationException("transactions: the store has no purchases to summarise (import or generate data first)");
        }
        LocalDate calibrationEnd = o.calibrationEnd() == null ? range[1] : o.calibrationEnd();
        if (calibrationEnd.isBefore(range[0])) {
            throw new DataValidationException("--calibration-end: " + calibrationEnd + " is before the first purchase (" + range[0] + ")");
        }
        if (calibrationEnd.isAfter(range[1])) {
            // T would count days after the data end as days without purchases: every customer would look lapsed.
            throw new DataValidationException("--calibration-end: " + calibrationEnd + " is after the last purchase in the store ("
                    + range[1] + "); the calibration period must end on or before it");
        }
        LocalDate observationEnd = o.holdoutEnd() == null ? calibrationEnd : o.holdoutEnd();
        String key = o.key(calibrationEnd);
        long customers;
        Entry stored = storedEntry(c, key, version);
        if (stored != null && stored.rowsKept()) {
            customers = load(c, stored.id());
        } else {
            if (o.timing() == Timing.TIMESTAMP) {
                requireTimestamps(c, observationEnd);
            }
            boolean net = o.returns() == Returns.NET;
            boolean fromPurchaseDays = purchaseDays && o.timing() == Timing.DAY && !net;
            boolean keepDays = stored == null && repeatDays && o.timing() == Timing.DAY && !net && o.holdoutEnd() == null
                    && !purchaseLinesWithoutAmount(c, calibrationEnd);
            try {
                if (keepDays && !fromPurchaseDays) {
                    // Building the customer-days first and summarising from them took no longer than the one-statement
                    // summary (1,000,000 customers), and the repeat days per day are then a GROUP BY of this table.
                    try (PreparedStatement ps = c.prepareStatement("CREATE OR REPLACE TEMP TABLE " + DAYS + " AS "
                            + days(Timing.DAY, false).replace("$2", "$1"))) {
                        ps.setObject(1, observationEnd);
                        ps.execute();
                    }
                }
                String days = fromPurchaseDays ? PurchaseDays.customerDaysUpTo("$2")
                        : keepDays ? "SELECT * FROM " + DAYS : days(o.timing(), net);
                try (PreparedStatement ps = c.prepareStatement(sql(o.timing(), net, o.holdoutEnd() != null, days))) {
                    ps.setObject(1, calibrationEnd);
                    ps.setObject(2, observationEnd);
                    ps.setDouble(3, o.unit().days());
                    ps.execute();
                }
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + TABLE)) {
                    rs.next();
                    customers = rs.getLong(1);
                }
                if (customers == 0) {
                    throw new DataValidationException("--calibration-end: no customer made a first purchase by " + calibrationEnd);
                }
                // The repeat days come from the same customer-days the summary read (no holdout: up to the calibration end).
                if (stored != null) {
                    keepRows(c, stored, key, version, customers);
                } else if (!keepDays) {
                    store(c, key, version, customers, null);
                } else if (fromPurchaseDays) {
                    store(c, key, version, customers, PurchaseDays.customerDaysUpTo("?"), calibrationEnd);
                } else {
                    store(c, key, version, customers, "SELECT customer_id, date FROM " + DAYS);
                }
            } finally {
                if (keepDays && !fromPurchaseDays) {
                    try (Statement st = c.createStatement()) {
                        st.execute("DROP TABLE IF EXISTS " + DAYS);
                    }
                }
            }
        }
        return new Window(range[0], calibrationEnd, o.holdoutEnd(), o.unit(), customers);
    }

    /** Summaries kept per transactions version (a fit on a calibration split and one on the whole history, say). */
    private static final int STORED_PER_VERSION = 3;
    /** Temp table naming the stored entry the summary in {@value #TABLE} is a copy of. */
    private static final String ENTRY = "clv_rfm_entry";
    /** Temp table of the customer-days a summary with repeat days is built from, dropped once they are stored. */
    private static final String DAYS = "clv_rfm_days";

    /** A stored summary: its id, and whether its rows are kept (from the second command on the same data and options). */
    private record Entry(long id, boolean rowsKept) {}

    /** The stored summary for these options on this version of the transactions (one with its rows first), or null. */
    private static Entry storedEntry(Connection c, String key, String version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, rows_stored FROM clv_summaries WHERE options = ?"
                + " AND transactions_version = ? ORDER BY rows_stored DESC, id DESC LIMIT 1")) {
            ps.setString(1, key);
            ps.setString(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Entry(rs.getLong(1), rs.getBoolean(2)) : null;
            }
        }
    }

    /** Copies a stored summary into {@value #TABLE}; returns its customers. */
    private static long load(Connection c, long entry) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("CREATE OR REPLACE TEMP TABLE " + TABLE + " AS SELECT " + COLUMNS
                + " FROM clv_summary_rows WHERE summary_id = ?")) {
            ps.setLong(1, entry);
            ps.execute();
        }
        markEntry(c, entry);
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + TABLE)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Records the summary just built in {@value #TABLE} (its options, version and customer count, not yet its rows:
     * see {@link #keepRows}), and drops the entries of other transactions versions (they can never match again) and
     * the oldest beyond {@value #STORED_PER_VERSION}. Inside the caller's transaction when there is one. With
     * {@code customerDays} (a relation of the summary's customer-days, {@code params} its parameters), also its repeat
     * days per day.
     */
    private static void store(Connection c, String key, String version, long customers, String customerDays, Object... params)
            throws SQLException {
        boolean repeatDays = customerDays != null;
        long entry = nextEntryId(c);
        dropOldEntries(c, version, STORED_PER_VERSION - 1);
        if (repeatDays) {
            storeRepeatDaysFromFirsts(c, entry, customerDays, params);
        }
        insertEntry(c, entry, key, version, customers, repeatDays, false);
        markEntry(c, entry);
    }

    /**
     * The second command on the same data and options: keeps the summary's rows too, under a new entry that takes
     * over {@code first}'s repeat days (a new row, not an update of {@code first}: two commands doing this at once
     * never conflict). Writing the rows cost about as much as the next command saves by reading them back
     * (1,000,000 customers: 0.3 s), so a one-off scoring does not pay it.
     */
    private static void keepRows(Connection c, Entry first, String key, String version, long customers) throws SQLException {
        long entry = nextEntryId(c);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO clv_summary_rows SELECT ?, " + COLUMNS + " FROM " + TABLE)) {
            ps.setLong(1, entry);
            ps.executeUpdate();
        }
        boolean repeatDays;
        try (PreparedStatement ps = c.prepareStatement("SELECT repeat_days_stored FROM clv_summaries WHERE id = ?")) {
            ps.setLong(1, first.id());
            try (ResultSet rs = ps.executeQuery()) {
                repeatDays = rs.next() && rs.getBoolean(1);
            }
        }
        if (repeatDays) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO clv_summary_days SELECT ?, date, repeat_days FROM clv_summary_days"
                    + " WHERE summary_id = ?")) {
                ps.setLong(1, entry);
                ps.setLong(2, first.id());
                ps.executeUpdate();
            }
        }
        insertEntry(c, entry, key, version, customers, repeatDays, true);
        dropOldEntries(c, version, STORED_PER_VERSION);
        markEntry(c, entry);
    }

    private static long nextEntryId(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT nextval('clv_summary_seq')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Drops the entries of other transactions versions and all but this version's {@code keep} newest. */
    private static void dropOldEntries(Connection c, String version, int keep) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM clv_summaries WHERE transactions_version <> ? OR id NOT IN"
                + " (SELECT id FROM clv_summaries WHERE transactions_version = ? ORDER BY id DESC LIMIT " + keep + ")")) {
            ps.setString(1, version);
            ps.setString(2, version);
            ps.executeUpdate();
        }
        try (Statement st = c.createStatement()) {
            st.execute("DELETE FROM clv_summary_rows WHERE summary_id NOT IN (SELECT id FROM clv_summaries)");
            st.execute("DELETE FROM clv_summary_days WHERE summary_id NOT IN (SELECT id FROM clv_summaries)");
        }
    }

    private static void insertEntry(Connection c, long entry, String key, String version, long customers, boolean repeatDays,
            boolean rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO clv_summaries (id, options, transactions_version, customers,"
                + " created_at, repeat_days_stored, rows_stored) VALUES (?, ?, ?, ?, now(), ?, ?)")) {
            ps.setLong(1, entry);
            ps.setString(2, key);
            ps.setString(3, version);
            ps.setLong(4, customers);
            ps.setBoolean(5, repeatDays);
            ps.setBoolean(6, rows);
            ps.executeUpdate();
        }
    }

    /**
     * Stores the repeat purchase days per day of summary {@code entry} as customers buying that day minus customers
     * whose first purchase it is: right when every customer with a purchase day is in {@value #TABLE} and each one's
     * first day is such a day (no holdout, no purchase line lacking an amount). {@code customerDays} is a fixed SQL
     * relation (never input) of one row per customer and purchase day, {@code params} its parameters. No join of the
     * purchase days with the summary (measured about half the time of one).
     */
    static void storeRepeatDaysFromFirsts(Connection c, long entry, String customerDays, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO clv_summary_days"
                + " WITH bought AS (SELECT date, count(*) AS customers FROM (" + customerDays + ") GROUP BY date),"
                + " firsts AS (SELECT first_date AS date, count(*) AS customers FROM " + TABLE + " GROUP BY 1)"
                + " SELECT ?, b.date, b.customers - coalesce(f.customers, 0) FROM bought b LEFT JOIN firsts f USING (date)"
                + " WHERE b.customers > coalesce(f.customers, 0)")) {
            int i = 1;
            for (Object p : params) {
                ps.setObject(i++, p);
            }
            ps.setLong(i, entry);
            ps.executeUpdate();
        }
    }

    /** Whether a customer's line up to {@code end} that is no return lacks an amount (the summary counts it a purchase, tracking not). */
    static boolean purchaseLinesWithoutAmount(Connection c, LocalDate end) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT EXISTS (SELECT 1 FROM transactions WHERE amount IS NULL AND date <= ?"
                + " AND customer_id IS NOT NULL AND NOT is_return)")) {
            ps.setObject(1, end);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void markEntry(Connection c, long entry) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("CREATE OR REPLACE TEMP TABLE " + ENTRY + " AS SELECT " + entry + "::BIGINT AS id");
        }
    }

    /** The stored entry the summary now in {@value #TABLE} on {@code c} was built as or copied from. */
    static long entry(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM " + ENTRY)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The columns of {@value #TABLE}, in order. */
    private static final String COLUMNS = "customer_id, first_date, frequency, recency_days, t_days, recency, T, monetary_value,"
            + " calibration_amount, frequency_holdout, monetary_value_holdout, duration_holdout, active_months";

    /**
     * The summary's purchase events: one row per customer and day (or order), $2 the observation end. With returns
     * netted, days with only returns are kept (purchase false) for their amounts.
     */
    private static String days(Timing timing, boolean net) {
        String eventKey = switch (timing) {
            case DAY -> "";
            case ORDER -> ", coalesce(order_id, id::VARCHAR)";
            case TIMESTAMP -> ", coalesce(order_id, id::VARCHAR), ts";
        };
        boolean exact = timing == Timing.TIMESTAMP;
        String days = net ? """
                    SELECT customer_id, date%s,
                           bool_or(NOT (is_return OR coalesce(amount, 0) < 0)) AS purchase,
                           coalesce(sum(amount) FILTER (WHERE NOT (is_return OR coalesce(amount, 0) < 0)), 0) AS amount,
                           coalesce(sum(amount) FILTER (WHERE is_return OR coalesce(amount, 0) < 0), 0) AS returned
                    FROM transactions
                    WHERE date <= $2 AND customer_id IS NOT NULL
                    GROUP BY customer_id, date%s
                """ : """
                    SELECT customer_id, date%s, TRUE AS purchase, sum(amount) AS amount
                    FROM transactions
                    WHERE date <= $2 AND customer_id IS NOT NULL AND NOT (is_return OR coalesce(amount, 0) < 0)
                    GROUP BY customer_id, date%s
                """;
        // Several orders can share the first day (or timestamp): the one with the smallest line id is the first purchase.
        String first = timing == Timing.DAY ? "" : ", min(id) AS first_id";
        return String.format(days, (exact ? ", min(ts) AS ts" : "") + first, eventKey);
    }

    /**
     * The summary query for a timing and returns option (fixed SQL fragments chosen by the enum,
     * never input). Amounts stay DECIMAL until the final division, so the summary (and every fit
     * on it) is the same on every run whatever order the parallel sums take. $1 calibration end, $2 observation end, $3 days per time unit. With returns
     * excluded only purchase lines are read, each period is one sum; netting also aggregates returns.
     * Without a holdout every day read is in the calibration period, so the per-period filters are
     * left out (they cost about a fifth of the query on ten million lines). {@code days} is the purchase events'
     * relation: {@link #days}, {@value #DAYS} built beforehand from it, or {@link PurchaseDays}.
     */
    private static String sql(Timing timing, boolean net, boolean holdout, String days) {
        boolean exact = timing == Timing.TIMESTAMP;
        // Filters of the aggregates: any purchase day; a calibration-period purchase day; a holdout-period one.
        String purchase = net ? " FILTER (WHERE purchase)" : "";
        String calibration = holdout ? (net ? " FILTER (WHERE purchase AND date <= $1)" : " FILTER (WHERE date <= $1)") : purchase;
        String inHoldout = net ? " FILTER (WHERE purchase AND date > $1)" : " FILTER (WHERE date > $1)";
        String returned = !net ? """
                           0 AS cal_returned, 0 AS holdout_returned,
                """ : holdout ? """
                           coalesce(sum(returned) FILTER (WHERE date <= $1), 0) AS cal_returned,
                           coalesce(sum(returned) FILTER (WHERE date > $1), 0) AS holdout_returned,
                """ : """
                           coalesce(sum(returned), 0) AS cal_returned, 0 AS holdout_returned,
                """;
        String times = exact ? """
                           min(ts)PURCHASE AS first_ts,
                           max(ts)CALIBRATION AS last_ts,
                           arg_min(amount, (ts, first_id))PURCHASE AS first_amount,
                """ : timing == Timing.ORDER ? """
                           arg_min(amount, (date, first_id))PURCHASE AS first_amount,
                """ : """
                           arg_min(amount, date)PURCHASE AS first_amount,
                """;
        String recency = exact ? "(epoch_us(last_ts) - epoch_us(first_ts)) / (86400e6 * $3)"
                : "date_diff('day', first_date, last_date) / $3";
        String t = exact ? "(epoch_us($1::TIMESTAMP + INTERVAL 1 DAY) - epoch_us(first_ts)) / (86400e6 * $3)"
                : "date_diff('day', first_date, $1) / $3";
        String sql = """
                CREATE OR REPLACE TEMP TABLE clv_rfm AS
                WITH days AS (
                """ + days + """
                ), per_customer AS (
                    SELECT customer_id,
                           min(date)PURCHASE AS first_date,
                           count(*)CALIBRATION AS cal_days,
                           max(date)CALIBRATION AS last_date,
                           sum(amount)CALIBRATION AS cal_amount,
                """ + times + returned + """
                           bit_or(CASE WHEN months_back BETWEEN 0 AND ACTIVE_MONTHS - 1 THEN 1::HUGEINT << months_back::INTEGER ELSE 0 END)
                               CALIBRATION AS active_months,
                """ + (holdout ? """
                           count(*)HOLDOUT AS holdout_days,
                           coalesce(sum(amount)HOLDOUT, 0) AS holdout_amount
                """ : """
                           0 AS holdout_days, 0 AS holdout_amount
                """) + """
                    FROM (SELECT *, year($1::DATE) * 12 + month($1::DATE) - year(date) * 12 - month(date) AS months_back FROM days)
                    GROUP BY customer_id
                    HAVING min(date)PURCHASE <= $1
                )
                SELECT customer_id, first_date,
                       (cal_days - 1)::INTEGER AS frequency,
                       date_diff('day', first_date, last_date)::INTEGER AS recency_days,
                       date_diff('day', first_date, $1)::INTEGER AS t_days,
                       """ + recency + """
                 AS recency,
                       """ + t + """
                 AS T,
                       CASE WHEN cal_days > 1
                            THEN greatest(0, (cal_amount - first_amount + cal_returned)::DOUBLE / (cal_days - 1))
                            ELSE 0 END AS monetary_value,
                       greatest(0, cal_amount + cal_returned)::DOUBLE AS calibration_amount,
                       holdout_days::INTEGER AS frequency_holdout,
                       CASE WHEN holdout_days > 0
                            THEN greatest(0, (holdout_amount + holdout_returned)::DOUBLE / holdout_days)
                            ELSE 0 END AS monetary_value_holdout,
                       date_diff('day', $1, $2) / $3 AS duration_holdout,
                       active_months
                FROM per_customer
                """;
        return sql.replace("ACTIVE_MONTHS", Integer.toString(ACTIVE_MONTHS))
                .replace("PURCHASE", purchase).replace("CALIBRATION", calibration).replace("HOLDOUT", inHoldout);
    }

    private static void requireTimestamps(Connection c, LocalDate observationEnd) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*), min(id) FROM transactions"
                + " WHERE ts IS NULL AND date <= ? AND customer_id IS NOT NULL AND NOT (is_return OR coalesce(amount, 0) < 0)")) {
            ps.setObject(1, observationEnd);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    throw new DataValidationException("transactions.ts: " + rs.getLong(1) + " purchase lines have no timestamp (first id "
                            + rs.getLong(2) + "); --purchases timestamp needs one on every purchase line (use day or order)");
                }
            }
        }
    }

    /** First and last purchase day in the store, or null when there is none. */
    static LocalDate[] purchaseRange(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT min(date), max(date) FROM transactions WHERE NOT (is_return OR coalesce(amount, 0) < 0)")) {
            rs.next();
            Date min = rs.getDate(1);
            return min == null ? null : new LocalDate[] {min.toLocalDate(), rs.getDate(2).toLocalDate()};
        }
    }

    /** The summary in {@value #TABLE} compressed to distinct (frequency, recency, T) rows, sorted by them. */
    public static RfmData compressed(Connection c) throws SQLException {
        double[][] col = columns(c, "SELECT frequency, recency, T, count(*) FROM " + TABLE + " GROUP BY ALL ORDER BY ALL", 4);
        return new RfmData(col[0], col[1], col[2], col[3]);
    }

    /**
     * The distinct (frequency, T) pairs in {@value #TABLE}: {@code [0]} frequencies, {@code [1]} the
     * matching T. Predictions for a customer alive at T depend on nothing else.
     */
    static double[][] frequencyTPairs(Connection c) throws SQLException {
        return columns(c, "SELECT DISTINCT frequency, T FROM " + TABLE, 2);
    }

    /** Repeat customers with positive spend in {@value #TABLE}, compressed to distinct (frequency, monetary value). */
    public static SpendData spend(Connection c) throws SQLException {
        double[][] col = columns(c, "SELECT frequency, monetary_value, count(*) FROM " + TABLE
                + " WHERE frequency > 0 AND monetary_value > 0 GROUP BY ALL ORDER BY ALL", 3);
        return new SpendData(col[0], col[1], col[2]);
    }

    /** The first {@code width} numeric columns of a query's rows, as one array per column. */
    private static double[][] columns(Connection c, String sql, int width) throws SQLException {
        List<double[]> rows = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                double[] row = new double[width];
                for (int j = 0; j < width; j++) {
                    row[j] = rs.getDouble(j + 1);
                }
                rows.add(row);
            }
        }
        double[][] out = new double[width][rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < width; j++) {
                out[j][i] = rows.get(i)[j];
            }
        }
        return out;
    }
}
