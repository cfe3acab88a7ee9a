package io.clvanalytics.engine.lifecycle;

import static io.clvanalytics.engine.lifecycle.ProductSql.BASKET;
import static io.clvanalytics.engine.lifecycle.ProductSql.UNITS;
import static io.clvanalytics.engine.lifecycle.ProductSql.nullableDouble;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The metrics SQL: one set-based query over the window's product lines. */
final class MetricsQuery {

    private MetricsQuery() {}

    /** Metrics of every product with lines in {@code window}, per {@code period}; expects {@code pa_scope}. */
    static List<ProductMetrics> run(Connection c, ProductSettings s, DateWindow window, Period period, Long onlyProduct)
            throws SQLException {
        String sql = """
                WITH lines AS (
                    SELECT %s AS period_start, t.product_id, t.customer_id, %s AS basket, t.date,
                           %s AS units, t.amount::DOUBLE AS amount, t.is_return
                    FROM transactions t JOIN pa_scope USING (product_id)
                    WHERE t.date BETWEEN ? AND ?
                ),
                firsts AS (
                    SELECT customer_id, min(date) AS first_date FROM transactions
                    WHERE NOT is_return AND customer_id IN (SELECT customer_id FROM lines)
                    GROUP BY customer_id
                ),
                per AS (
                    SELECT l.period_start, l.product_id,
                           sum(l.amount) AS net_revenue,
                           coalesce(sum(l.amount) FILTER (WHERE NOT l.is_return), 0) AS gross_revenue,
                           coalesce(-sum(l.amount) FILTER (WHERE l.is_return), 0) AS returned_revenue,
                           coalesce(sum(l.units) FILTER (WHERE NOT l.is_return), 0) AS units_sold,
                           coalesce(sum(l.units) FILTER (WHERE l.is_return), 0) AS units_returned,
                           count(DISTINCT l.basket) FILTER (WHERE NOT l.is_return) AS orders,
                           %s AS customers,
                           coalesce(sum(l.amount) FILTER (WHERE l.date <= f.first_date), 0) AS new_revenue,
                           coalesce(sum(l.amount) FILTER (WHERE l.customer_id IS NOT NULL
                                                               AND (f.first_date IS NULL OR l.date > f.first_date)), 0) AS returning_revenue,
                           coalesce(sum(l.amount) FILTER (WHERE l.customer_id IS NULL), 0) AS guest_revenue
                    FROM lines l LEFT JOIN firsts f USING (customer_id)
                    GROUP BY ALL
                ),
                rep AS (
                    SELECT period_start, product_id, avg(CASE WHEN n >= 2 THEN 1.0 ELSE 0.0 END) AS repeat_rate
                    FROM (SELECT period_start, product_id, customer_id, count(DISTINCT basket) AS n
                          FROM lines WHERE NOT is_return AND customer_id IS NOT NULL GROUP BY ALL)
                    GROUP BY ALL
                ),
                ranked AS (
                    SELECT per.*, rep.repeat_rate,
                           net_revenue / nullif(sum(net_revenue) OVER w, 0) AS revenue_share,
                           rank() OVER (PARTITION BY per.period_start ORDER BY net_revenue DESC) AS rnk,
                           sum(greatest(net_revenue, 0)) OVER (PARTITION BY per.period_start
                               ORDER BY net_revenue DESC, per.product_id ROWS UNBOUNDED PRECEDING) AS cum_positive,
                           sum(greatest(net_revenue, 0)) OVER w AS total_positive
                    FROM per LEFT JOIN rep USING (period_start, product_id)
                    WINDOW w AS (PARTITION BY per.period_start)
                )
                SELECT r.*, p.source_id, p.name,
                       cum_positive / nullif(total_positive, 0) AS cumulative_share,
                       CASE WHEN net_revenue <= 0 OR total_positive <= 0 THEN 'C'
                            WHEN (cum_positive - net_revenue) / total_positive < ? THEN 'A'
                            WHEN (cum_positive - net_revenue) / total_positive < ? THEN 'B'
                            ELSE 'C' END AS abc_class
                FROM ranked r JOIN products p ON p.id = r.product_id
                WHERE ?::BIGINT IS NULL OR r.product_id = ?::BIGINT
                ORDER BY r.period_start, r.rnk, r.product_id
                """.formatted(period.sqlStart, BASKET, UNITS, ProductMeasures.customers("l"));
        List<ProductMetrics> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (period == Period.WINDOW) {
                ps.setObject(i++, window.from());
            }
            ps.setObject(i++, window.from());
            ps.setObject(i++, window.to());
            ps.setDouble(i++, s.abcA());
            ps.setDouble(i++, s.abcB());
            ps.setObject(i++, onlyProduct);
            ps.setObject(i, onlyProduct);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double unitsSold = rs.getDouble("units_sold");
                    double gross = rs.getDouble("gross_revenue");
                    out.add(new ProductMetrics(
                            ProductSql.date(rs, "period_start"),
                            rs.getLong("product_id"),
                            rs.getString("source_id"),
                            rs.getString("name"),
                            rs.getDouble("net_revenue"),
                            gross,
                            rs.getDouble("returned_revenue"),
                            unitsSold,
                            rs.getDouble("units_returned"),
                            rs.getLong("orders"),
                            rs.getLong("customers"),
                            unitsSold > 0 ? gross / unitsSold : null,
                            unitsSold > 0 ? rs.getDouble("units_returned") / unitsSold : null,
                            nullableDouble(rs, "revenue_share"),
                            rs.getLong("rnk"),
                            nullableDouble(rs, "repeat_rate"),
                            rs.getDouble("new_revenue"),
                            rs.getDouble("returning_revenue"),
                            rs.getDouble("guest_revenue"),
                            nullableDouble(rs, "cumulative_share"),
                            rs.getString("abc_class")));
                }
            }
        }
        return out;
    }

    /** Lines outside {@code pa_scope} in the window, grouped by code. */
    static List<NonProductLine> nonProductLines(Connection c, ProductSettings s, DateWindow window) throws SQLException {
        String sql = """
                SELECT coalesce(p.source_id, '(none)') AS code, any_value(p.name) AS name,
                       CASE WHEN p.id IS NULL THEN 'no product'
                            WHEN ? AND NOT p.is_product THEN 'import flag'
                            ELSE 'configured code' END AS reason,
                       count(*) AS lines, coalesce(sum(t.amount), 0)::DOUBLE AS net_revenue
                FROM transactions t LEFT JOIN products p ON p.id = t.product_id
                WHERE t.date BETWEEN ? AND ?
                  AND (t.product_id IS NULL OR t.product_id NOT IN (SELECT product_id FROM pa_scope))
                GROUP BY ALL
                ORDER BY abs(net_revenue) DESC, code
                """;
        List<NonProductLine> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setBoolean(1, s.useImportFlag());
            ps.setObject(2, window.from());
            ps.setObject(3, window.to());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new NonProductLine(rs.getString("code"), rs.getString("name"), rs.getString("reason"),
                            rs.getLong("lines"), rs.getDouble("net_revenue")));
                }
            }
        }
        return out;
    }

    /** The window's net revenue, split by the product rule. */
    static StoreRevenue storeRevenue(Connection c, DateWindow window) throws SQLException {
        String sql = """
                SELECT coalesce(sum(t.amount), 0)::DOUBLE AS total,
                       coalesce(sum(t.amount) FILTER (WHERE s.product_id IS NOT NULL), 0)::DOUBLE AS products,
                       coalesce(sum(t.amount) FILTER (WHERE s.product_id IS NULL), 0)::DOUBLE AS other,
                       count(*) AS lines
                FROM transactions t LEFT JOIN pa_scope s ON s.product_id = t.product_id
                WHERE t.date BETWEEN ? AND ?
                """;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, window.from());
            ps.setObject(2, window.to());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new StoreRevenue(window, rs.getDouble("total"), rs.getDouble("products"), rs.getDouble("other"), rs.getLong("lines"));
            }
        }
    }
}
