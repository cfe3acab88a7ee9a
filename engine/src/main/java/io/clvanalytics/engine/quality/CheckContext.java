package io.clvanalytics.engine.quality;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a check runs against: one connection, "now" from the engine's clock, the data window and
 * the check's effective parameters. SQL given to {@link #query} may use named parameters
 * {@code :name}; they are bound as prepared-statement values from the check's parameters and the
 * built-ins {@code :today} (DATE) and {@code :now} (TIMESTAMP), never spliced into the SQL text.
 */
public final class CheckContext {

    /** The temporary view of the transactions inside the run's data window. */
    public static final String TX = "q_tx";

    private static final Pattern NAMED = Pattern.compile("(?<![:\\w]):([a-z_][a-z0-9_]*)");

    private final Connection connection;
    private final LocalDate today;
    private final LocalDateTime now;
    private final int sampleSize;
    private final Map<String, Object> params;
    private final Map<String, RowRule.Counts> rowCounts;

    CheckContext(Connection connection, LocalDate today, LocalDateTime now, int sampleSize, Map<String, Object> params,
                 Map<String, RowRule.Counts> rowCounts) {
        this.connection = connection;
        this.today = today;
        this.now = now;
        this.sampleSize = sampleSize;
        this.params = params;
        this.rowCounts = rowCounts;
    }

    /** The same context with the parameters of another check. */
    CheckContext withParams(Map<String, Object> checkParams) {
        return new CheckContext(connection, today, now, sampleSize, checkParams, rowCounts);
    }

    /** The same context with the counts of a combined row-rule scan. */
    CheckContext withRowCounts(Map<String, RowRule.Counts> counts) {
        return new CheckContext(connection, today, now, sampleSize, params, counts);
    }

    /** The counts a combined scan found for {@code rule}, or null when it was not part of one. */
    RowRule.Counts rowCounts(String rule) {
        return rowCounts == null ? null : rowCounts.get(rule);
    }

    /** The effective parameters of the current check. */
    Map<String, Object> params() {
        return params;
    }

    public Connection connection() {
        return connection;
    }

    /** Today by the engine's clock. */
    public LocalDate today() {
        return today;
    }

    /** How many offending rows a result keeps as its sample. */
    public int sampleSize() {
        return sampleSize;
    }

    /** A numeric parameter of the check. */
    public double number(String name) {
        Object v = param(name);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalStateException("parameter " + name + " is not a number: " + v);
    }

    /** A date parameter of the check. */
    public LocalDate date(String name) {
        Object v = param(name);
        return v instanceof LocalDate d ? d : LocalDate.parse(String.valueOf(v));
    }

    private Object param(String name) {
        if (name.equals("today")) {
            return today;
        }
        if (name.equals("now")) {
            return now;
        }
        if (!params.containsKey(name)) {
            throw new IllegalStateException("no parameter :" + name);
        }
        return params.get(name);
    }

    /** Runs {@code sql} (with named parameters) and returns every row as column name to value. */
    public List<Map<String, Object>> query(String sql) throws SQLException {
        return query(sql, null);
    }

    /** Like {@link #query(String)}, with named parameters from {@code bound} before the check's own. */
    List<Map<String, Object>> query(String sql, Map<String, Object> bound) throws SQLException {
        List<String> names = new ArrayList<>();
        Matcher m = NAMED.matcher(sql);
        StringBuilder jdbc = new StringBuilder();
        while (m.find()) {
            names.add(m.group(1));
            m.appendReplacement(jdbc, "?");
        }
        m.appendTail(jdbc);
        try (PreparedStatement ps = connection.prepareStatement(jdbc.toString())) {
            for (int i = 0; i < names.size(); i++) {
                String name = names.get(i);
                Object v = bound != null && bound.containsKey(name) ? bound.get(name) : param(name);
                if (v instanceof LocalDateTime t) {
                    ps.setTimestamp(i + 1, Timestamp.valueOf(t));
                } else if (v instanceof LocalDate d) {
                    ps.setDate(i + 1, java.sql.Date.valueOf(d));
                } else {
                    ps.setObject(i + 1, v);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rows(rs);
            }
        }
    }

    /** The first row of {@link #query}, which must return exactly one. */
    public Map<String, Object> queryOne(String sql) throws SQLException {
        List<Map<String, Object>> rows = query(sql);
        if (rows.size() != 1) {
            throw new SQLException("expected one row, got " + rows.size() + " from: " + sql);
        }
        return rows.get(0);
    }

    static List<Map<String, Object>> rows(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<Map<String, Object>> out = new ArrayList<>();
        while (rs.next()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int c = 1; c <= md.getColumnCount(); c++) {
                row.put(md.getColumnLabel(c), plain(rs.getObject(c)));
            }
            out.add(Collections.unmodifiableMap(row));
        }
        return out;
    }

    /** JDBC values as JSON-friendly Java values (dates as LocalDate, decimals as BigDecimal). */
    private static Object plain(Object v) {
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        if (v instanceof Timestamp t) {
            return t.toLocalDateTime();
        }
        if (v instanceof java.time.OffsetDateTime o) {
            return o.toLocalDateTime();
        }
        if (v instanceof java.sql.Array a) {
            try {
                List<Object> list = new ArrayList<>();
                for (Object e : (Object[]) a.getArray()) {
                    list.add(plain(e));
                }
                return Collections.unmodifiableList(list);
            } catch (SQLException e) {
                return String.valueOf(a);
            }
        }
        return v;
    }

    static long asLong(Object v) {
        return v == null ? 0L : ((Number) v).longValue();
    }

    static Double asDouble(Object v) {
        return v == null ? null : ((Number) v).doubleValue();
    }
}
