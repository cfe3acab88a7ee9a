package io.clvanalytics.engine.jasper;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A query of the {@code clv} language: a name, the parameters it accepts and fixed SQL. The SQL is
 * written by us with {@code :name} placeholders; it never contains text from a report, so a
 * template can choose which query to run and bind values, but cannot run SQL of its own.
 */
public final class NamedQuery {

    private static final Pattern PLACEHOLDER = Pattern.compile("(?<!:):([a-z_]+)");

    private final String name;
    private final String description;
    private final List<QueryParameter> parameters;
    private final String columns;
    private final String jdbcSql;
    private final List<QueryParameter> bindOrder;

    NamedQuery(String name, String description, List<QueryParameter> parameters, String columns, String sql) {
        this.name = name;
        this.description = description;
        this.parameters = List.copyOf(parameters);
        this.columns = columns;
        List<QueryParameter> order = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(sql);
        StringBuilder jdbc = new StringBuilder();
        while (m.find()) {
            String p = m.group(1);
            order.add(parameter(p).orElseThrow(() -> new IllegalStateException(
                    "query " + name + " uses :" + p + " which it does not declare")));
            // Typed placeholders let DuckDB plan "(:x IS NULL OR ...)" when the value is NULL.
            m.appendReplacement(jdbc, "CAST(? AS " + sqlType(order.get(order.size() - 1).type()) + ")");
        }
        m.appendTail(jdbc);
        this.jdbcSql = jdbc.toString();
        this.bindOrder = List.copyOf(order);
    }

    private static String sqlType(QueryParameter.Type type) {
        return switch (type) {
            case TEXT -> "VARCHAR";
            case NUMBER -> "DOUBLE";
            case INTEGER -> "BIGINT";
            case DATE -> "DATE";
        };
    }

    /** The name a template writes as the first word of its query text. */
    public String name() {
        return name;
    }

    /** One sentence on what the rows are. */
    public String description() {
        return description;
    }

    /** The parameters, in the order the reference lists them. */
    public List<QueryParameter> parameters() {
        return parameters;
    }

    /** The result columns (field names a template can declare), comma separated with types. */
    public String columns() {
        return columns;
    }

    /** The parameter called {@code name}, if this query has one. */
    public Optional<QueryParameter> parameter(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * Runs this query on {@code connection}: each value is converted by its parameter's
     * {@link QueryParameter#convert} and bound to the fixed SQL; absent names bind {@code NULL}.
     * Rows come back as column label to value, in column order (dates as {@link LocalDate},
     * timestamps as {@link LocalDateTime}). This is how callers outside the report engine
     * (the server's API and pages) get the same rows as a template.
     *
     * @throws IllegalArgumentException naming the parameter when a name is unknown or a value does not fit its type
     */
    public List<Map<String, Object>> rows(Connection connection, Map<String, ?> values) throws SQLException {
        Table table = table(connection, values);
        List<Map<String, Object>> out = new ArrayList<>(table.rows().size());
        for (Object[] cells : table.rows()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < cells.length; i++) {
                row.put(table.columns().get(i), cells[i]);
            }
            out.add(row);
        }
        return out;
    }

    /**
     * The rows of {@link #rows} as arrays: the column labels once, each row's values in column order.
     * For callers that keep many rows (a map per row costs several times the values' memory).
     */
    public Table table(Connection connection, Map<String, ?> values) throws SQLException {
        try (PreparedStatement ps = prepare(connection, values); ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData md = rs.getMetaData();
            int n = md.getColumnCount();
            List<String> columns = new ArrayList<>(n);
            int[] types = new int[n];
            for (int i = 0; i < n; i++) {
                columns.add(md.getColumnLabel(i + 1));
                types[i] = md.getColumnType(i + 1);
            }
            List<Object[]> rows = new ArrayList<>();
            while (rs.next()) {
                Object[] row = new Object[n];
                for (int i = 0; i < n; i++) {
                    row[i] = value(rs, i + 1, types[i]);
                }
                rows.add(row);
            }
            return new Table(List.copyOf(columns), rows);
        }
    }

    /**
     * Rows of a query as arrays.
     *
     * @param columns the column labels, in order
     * @param rows    each row's values in column order (dates as {@link LocalDate}, timestamps as {@link LocalDateTime})
     */
    public record Table(List<String> columns, List<Object[]> rows) {}

    /**
     * This query prepared on {@code connection} with {@code values} bound (each converted by its
     * parameter's {@link QueryParameter#convert}; absent names bind {@code NULL}), for callers that
     * stream the rows instead of collecting them. The caller closes the statement.
     *
     * @throws IllegalArgumentException naming the parameter when a name is unknown or a value does not fit its type
     */
    public PreparedStatement prepare(Connection connection, Map<String, ?> values) throws SQLException {
        Map<String, Object> converted = new HashMap<>();
        for (Map.Entry<String, ?> e : values.entrySet()) {
            QueryParameter p = parameter(e.getKey()).orElseThrow(() -> new IllegalArgumentException("query " + name
                    + " has no parameter \"" + e.getKey() + "\""));
            converted.put(p.name(), p.convert(e.getValue()));
        }
        PreparedStatement ps = connection.prepareStatement(jdbcSql);
        try {
            List<Object> bind = bindValues(converted);
            for (int i = 0; i < bind.size(); i++) {
                ps.setObject(i + 1, bind.get(i));
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    private static Object value(ResultSet rs, int column, int sqlType) throws SQLException {
        return switch (sqlType) {
            case Types.DATE -> rs.getObject(column, LocalDate.class);
            case Types.TIMESTAMP -> rs.getObject(column, LocalDateTime.class);
            default -> rs.getObject(column);
        };
    }

    /** The SQL with {@code ?} placeholders, for {@link Connection#prepareStatement}. */
    String jdbcSql() {
        return jdbcSql;
    }

    /** The values to bind, in placeholder order, from converted parameter values by name. */
    List<Object> bindValues(Map<String, Object> converted) {
        List<Object> values = new ArrayList<>(bindOrder.size());
        for (QueryParameter p : bindOrder) {
            values.add(converted.get(p.name()));
        }
        return values;
    }
}
