package io.clvanalytics.engine.lifecycle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;

/** SQL shared by the product analyses. Every value from outside is a bound parameter. */
final class ProductSql {

    /** Joins the configured non-product codes into one parameter; split again in SQL. */
    static final String CODE_SEPARATOR = "\u001f";

    /**
     * A line's basket: its order, or its customer and day when the order id is missing, or the line
     * itself for a guest line (no customer) without an order id. Expects the transactions alias {@code t}.
     */
    static final String BASKET = "coalesce(t.order_id, t.customer_id::VARCHAR || '@' || t.date::VARCHAR, '#' || t.id::VARCHAR)";

    /** Units of a line: the absolute quantity, one when the quantity is missing. */
    static final String UNITS = ProductMeasures.lineUnits("t");

    private ProductSql() {}

    /**
     * Creates the connection's temporary table {@code pa_scope(product_id)}: the products the
     * settings count as products. Later queries join it instead of repeating the rule.
     */
    static void createScope(Connection c, ProductSettings s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "CREATE OR REPLACE TEMP TABLE pa_scope AS SELECT id AS product_id FROM products p"
                        + " WHERE (p.is_product OR NOT ?) AND NOT list_contains(string_split(?, chr(31)), p.source_id)")) {
            ps.setBoolean(1, s.useImportFlag());
            ps.setString(2, s.codesParameter());
            ps.execute();
        }
    }

    static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    static long count(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    static Boolean nullableBoolean(ResultSet rs, String column) throws SQLException {
        boolean v = rs.getBoolean(column);
        return rs.wasNull() ? null : v;
    }

    static LocalDate date(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, LocalDate.class);
    }
}
