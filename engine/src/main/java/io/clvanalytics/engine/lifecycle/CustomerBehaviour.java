package io.clvanalytics.engine.lifecycle;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.hipparchus.distribution.continuous.NormalDistribution;

/** Buyer profiles and gateway products in SQL over whole tables; expects {@code pa_scope}. */
final class CustomerBehaviour {

    private static final NormalDistribution STANDARD_NORMAL = new NormalDistribution(0, 1);

    private CustomerBehaviour() {}

    static CustomerProfile profile(Connection c, long productId, DateWindow w) throws SQLException {
        // One statement: the window's customers are grouped once and read three ways (totals, segments, scores).
        long buyers = 0;
        long customers = 0;
        Long runId = null;
        Double clvB = null;
        Double clvA = null;
        Double paB = null;
        Double paA = null;
        List<SegmentShare> segments = new ArrayList<>();
        List<long[]> counts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                WITH cb AS (
                    SELECT t.customer_id, bool_or(t.product_id = ?) AS buyer
                    FROM transactions t
                    WHERE NOT t.is_return AND t.date BETWEEN ? AND ? AND t.customer_id IS NOT NULL
                    GROUP BY t.customer_id
                ),
                tot AS (SELECT count(*) FILTER (WHERE buyer) AS all_buyers, count(*) AS all_customers FROM cb),
                latest AS (
                    SELECT customer_id, segment FROM retention_scores
                    WHERE retention_run_id = (SELECT max(retention_run_id) FROM retention_scores)
                ),
                seg AS (
                    SELECT cb.buyer, coalesce(cu.segment, l.segment) AS segment
                    FROM cb LEFT JOIN customers cu ON cu.id = cb.customer_id
                    LEFT JOIN latest l ON l.customer_id = cb.customer_id
                ),
                segs AS (
                    SELECT segment, count(*) FILTER (WHERE buyer) AS buyers, count(*) AS customers
                    FROM seg WHERE segment IS NOT NULL GROUP BY segment
                ),
                run AS (SELECT run_id FROM customer_scores ORDER BY scored_at DESC, run_id DESC LIMIT 1),
                scores AS (SELECT customer_id, clv, p_alive FROM customer_scores WHERE run_id = (SELECT run_id FROM run)),
                sc AS (
                    SELECT (SELECT run_id FROM run) AS run_id,
                           avg(s.clv) FILTER (WHERE cb.buyer) AS clv_b, avg(s.clv) AS clv_a,
                           avg(s.p_alive) FILTER (WHERE cb.buyer) AS pa_b, avg(s.p_alive) AS pa_a
                    FROM cb JOIN scores s USING (customer_id)
                )
                SELECT tot.*, sc.*, segs.segment, segs.buyers, segs.customers
                FROM tot CROSS JOIN sc LEFT JOIN segs ON true
                ORDER BY segs.customers DESC, segs.segment
                """)) {
            ps.setLong(1, productId);
            ps.setObject(2, w.from());
            ps.setObject(3, w.to());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    buyers = rs.getLong("all_buyers");
                    customers = rs.getLong("all_customers");
                    runId = ProductSql.nullableLong(rs, "run_id");
                    clvB = ProductSql.nullableDouble(rs, "clv_b");
                    clvA = ProductSql.nullableDouble(rs, "clv_a");
                    paB = ProductSql.nullableDouble(rs, "pa_b");
                    paA = ProductSql.nullableDouble(rs, "pa_a");
                    String segment = rs.getString("segment");
                    if (segment != null) {
                        names.add(segment);
                        counts.add(new long[] {rs.getLong("buyers"), rs.getLong("customers")});
                    }
                }
            }
        }
        for (int i = 0; i < names.size(); i++) {
            long b = counts.get(i)[0];
            long n = counts.get(i)[1];
            double bs = buyers == 0 ? 0 : (double) b / buyers;
            double os = customers == 0 ? 0 : (double) n / customers;
            segments.add(new SegmentShare(names.get(i), b, bs, n, os, os > 0 ? bs / os : null));
        }
        List<String> notes = new ArrayList<>();
        if (segments.isEmpty()) {
            notes.add("no customer segments yet (customers.segment and retention_scores are empty): run the retention analysis first");
        }
        if (runId == null) {
            notes.add("no CLV scores yet (customer_scores is empty): run the CLV model first");
        }
        return new CustomerProfile(productId, w, buyers, customers, List.copyOf(segments), runId, clvB, clvA, paB, paA, List.copyOf(notes));
    }

    /** Products in at least {@code minSample} customers' first purchases, by lift of the repeat rate. */
    static List<GatewayProduct> gateways(Connection c, long minSample, int topN) throws SQLException {
        List<GatewayProduct> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                WITH cust AS (
                    SELECT customer_id, min(date) AS first_date, max(date) > min(date) AS repeated
                    FROM transactions WHERE NOT is_return AND customer_id IS NOT NULL GROUP BY customer_id
                ),
                overall AS (SELECT count(*) AS n, count(*) FILTER (WHERE repeated) AS k FROM cust),
                first_lines AS (
                    SELECT DISTINCT t.product_id, t.customer_id, cu.repeated
                    FROM transactions t JOIN cust cu ON cu.customer_id = t.customer_id AND t.date = cu.first_date
                    JOIN pa_scope USING (product_id)
                    WHERE NOT t.is_return
                ),
                g AS (
                    SELECT product_id, count(*) AS n, count(*) FILTER (WHERE repeated) AS k
                    FROM first_lines GROUP BY product_id HAVING count(*) >= ?
                )
                SELECT g.product_id, p.source_id, p.name, g.n, g.k, o.n AS all_n, o.k AS all_k
                FROM g JOIN products p ON p.id = g.product_id, overall o
                ORDER BY g.k::DOUBLE / g.n DESC, g.n DESC, g.product_id
                LIMIT ?
                """)) {
            ps.setLong(1, minSample);
            ps.setInt(2, topN);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long n = rs.getLong("n");
                    long k = rs.getLong("k");
                    long allN = rs.getLong("all_n");
                    long allK = rs.getLong("all_k");
                    double rate = (double) k / n;
                    double overall = allN == 0 ? 0 : (double) allK / allN;
                    out.add(new GatewayProduct(rs.getLong("product_id"), rs.getString("source_id"), rs.getString("name"),
                            n, k, rate, overall, overall > 0 ? rate / overall : 0, twoProportionPValue(k, n, allK - k, allN - n)));
                }
            }
        }
        return out;
    }

    /** Two-sided p-value of the pooled two-proportion z-test of k1/n1 against k2/n2. */
    static double twoProportionPValue(long k1, long n1, long k2, long n2) {
        if (n1 == 0 || n2 == 0) {
            return 1.0;
        }
        double pooled = (double) (k1 + k2) / (n1 + n2);
        double se = Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
        if (se == 0) {
            return 1.0;
        }
        double z = ((double) k1 / n1 - (double) k2 / n2) / se;
        return Math.min(1.0, 2 * (1 - STANDARD_NORMAL.cumulativeProbability(Math.abs(z))));
    }
}
