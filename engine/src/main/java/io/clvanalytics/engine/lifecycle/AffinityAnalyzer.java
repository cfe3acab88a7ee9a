package io.clvanalytics.engine.lifecycle;

import static io.clvanalytics.engine.lifecycle.ProductSql.BASKET;
import static io.clvanalytics.engine.lifecycle.ProductSql.execute;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Pairwise association rules in SQL. A basket is one order (or one customer and day without an
 * order id); only sale lines count, so cancelled invoices and returns are not baskets. Support is
 * counted against every sale basket in the window, non-product lines included (a postage-only
 * order is still an order). Products below the minimum support are pruned before pairing
 * (Apriori), so the self-join only touches frequent products.
 */
final class AffinityAnalyzer {

    private AffinityAnalyzer() {}

    /** Replaces {@code product_affinity} with the rules of {@code window}; expects {@code pa_scope}. */
    static long[] compute(Connection c, ProductSettings s, DateWindow window) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                CREATE OR REPLACE TEMP TABLE af_lines AS
                SELECT DISTINCT %s AS basket, t.product_id
                FROM transactions t
                WHERE NOT t.is_return AND t.date BETWEEN ? AND ?
                """.formatted(BASKET))) {
            ps.setObject(1, window.from());
            ps.setObject(2, window.to());
            ps.execute();
        }
        long baskets = ProductSql.count(c, "SELECT count(DISTINCT basket) FROM af_lines");
        long minCount = Math.max(s.minPairBaskets(), (long) Math.ceil(s.minSupport() * baskets));
        try (PreparedStatement ps = c.prepareStatement("""
                CREATE OR REPLACE TEMP TABLE af_items AS
                SELECT product_id, count(*) AS baskets FROM af_lines
                WHERE product_id IN (SELECT product_id FROM pa_scope)
                GROUP BY product_id HAVING count(*) >= ?
                """)) {
            ps.setLong(1, minCount);
            ps.execute();
        }
        long frequent = ProductSql.count(c, "SELECT count(*) FROM af_items");
        execute(c, "DELETE FROM product_affinity");
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO product_affinity (antecedent_id, consequent_id, baskets_both, support, confidence, lift)
                WITH fl AS (
                    SELECT basket, product_id FROM af_lines WHERE product_id IN (SELECT product_id FROM af_items)
                ),
                pairs AS (
                    SELECT a.product_id AS x, b.product_id AS y, count(*) AS both_count
                    FROM fl a JOIN fl b ON a.basket = b.basket AND a.product_id < b.product_id
                    GROUP BY ALL HAVING count(*) >= ?
                ),
                directed AS (
                    SELECT x AS antecedent, y AS consequent, both_count FROM pairs
                    UNION ALL
                    SELECT y, x, both_count FROM pairs
                )
                SELECT d.antecedent, d.consequent, d.both_count,
                       d.both_count / ?::DOUBLE AS support,
                       d.both_count / ia.baskets::DOUBLE AS confidence,
                       d.both_count * ?::DOUBLE / (ia.baskets::DOUBLE * ic.baskets) AS lift
                FROM directed d
                JOIN af_items ia ON ia.product_id = d.antecedent
                JOIN af_items ic ON ic.product_id = d.consequent
                WHERE d.both_count * ?::DOUBLE / (ia.baskets::DOUBLE * ic.baskets) >= ?
                """)) {
            ps.setLong(1, minCount);
            ps.setLong(2, baskets);
            ps.setLong(3, baskets);
            ps.setLong(4, baskets);
            ps.setDouble(5, s.minLift());
            ps.execute();
        }
        long rules = ProductSql.count(c, "SELECT count(*) FROM product_affinity");
        return new long[] {baskets, frequent, rules};
    }

    /** The stored rules with {@code productId} as antecedent, by lift then confidence. */
    static List<AssociationRule> related(Connection c, long productId, int topN) throws SQLException {
        return read(c, "WHERE a.antecedent_id = ? ORDER BY a.lift DESC, a.confidence DESC, a.consequent_id LIMIT ?",
                productId, topN);
    }

    /** The strongest stored rules of the whole catalogue, by lift then support. */
    static List<AssociationRule> strongest(Connection c, int topN) throws SQLException {
        return read(c, "WHERE a.antecedent_id < a.consequent_id ORDER BY a.lift DESC, a.support DESC, a.antecedent_id LIMIT ?",
                null, topN);
    }

    private static List<AssociationRule> read(Connection c, String tail, Long productId, int topN) throws SQLException {
        List<AssociationRule> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT a.*, pa.source_id AS a_code, pa.name AS a_name, pc.source_id AS c_code, pc.name AS c_name
                FROM product_affinity a
                JOIN products pa ON pa.id = a.antecedent_id
                JOIN products pc ON pc.id = a.consequent_id
                """ + tail)) {
            int i = 1;
            if (productId != null) {
                ps.setLong(i++, productId);
            }
            ps.setInt(i, topN);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AssociationRule(rs.getLong("antecedent_id"), rs.getString("a_code"), rs.getString("a_name"),
                            rs.getLong("consequent_id"), rs.getString("c_code"), rs.getString("c_name"),
                            rs.getLong("baskets_both"), rs.getDouble("support"), rs.getDouble("confidence"),
                            rs.getDouble("lift")));
                }
            }
        }
        return out;
    }
}
