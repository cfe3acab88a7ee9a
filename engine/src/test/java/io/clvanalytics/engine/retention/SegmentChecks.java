package io.clvanalytics.engine.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clvanalytics.engine.Engine;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/** Checks a retention run's RFM scores and segments against plain SQL written independently. */
final class SegmentChecks {

    private SegmentChecks() {}

    /** Segment sizes of run {@code runId}, asserted equal to a plain ntile + CASE computation. */
    static Map<String, Long> assertSegmentsMatchPlainSql(Engine engine, long runId) throws Exception {
        try (Connection c = engine.connect(); Statement st = c.createStatement()) {
            long purchasing = scalar(st, "SELECT count(DISTINCT customer_id) FROM transactions WHERE NOT is_return");
            assertEquals(purchasing, scalar(st, "SELECT count(*) FROM retention_scores WHERE retention_run_id = " + runId),
                    "one row per purchasing customer");
            assertEquals(purchasing, scalar(st, "SELECT count(DISTINCT customer_id) FROM retention_scores"
                    + " WHERE retention_run_id = " + runId + " AND segment IS NOT NULL"), "every customer in exactly one segment");
            st.execute("""
                    CREATE OR REPLACE TEMP TABLE plain AS
                    WITH b AS (SELECT customer_id, max(date) FILTER (WHERE NOT is_return) AS last_date,
                                      count(DISTINCT date) FILTER (WHERE NOT is_return) AS freq, sum(amount) AS rev
                               FROM transactions WHERE date <= (SELECT max(date) FROM transactions WHERE NOT is_return)
                               GROUP BY customer_id HAVING bool_or(NOT is_return)),
                    q AS (SELECT customer_id,
                                 ntile(5) OVER (ORDER BY last_date, customer_id) AS r,
                                 ntile(5) OVER (ORDER BY freq, customer_id) AS f,
                                 ntile(5) OVER (ORDER BY rev, customer_id) AS m FROM b)
                    SELECT *, CASE WHEN r = 5 AND f >= 4 THEN 'champions'
                                   WHEN r IN (3, 4) AND f >= 4 THEN 'loyal customers'
                                   WHEN r >= 4 AND f IN (2, 3) THEN 'potential loyalists'
                                   WHEN r = 5 AND f = 1 THEN 'new customers'
                                   WHEN r = 4 AND f = 1 THEN 'promising'
                                   WHEN r = 3 AND f = 3 THEN 'need attention'
                                   WHEN r = 3 THEN 'about to sleep'
                                   WHEN f = 5 THEN 'can''t lose them'
                                   WHEN f >= 3 THEN 'at risk'
                                   ELSE 'hibernating' END AS segment
                    FROM q""");
            assertEquals(0, scalar(st, "SELECT count(*) FROM plain p JOIN retention_scores s USING (customer_id)"
                    + " WHERE s.retention_run_id = " + runId
                    + " AND (p.r <> s.r_score OR p.f <> s.f_score OR p.m <> s.m_score OR p.segment <> s.segment)"),
                    "R/F/M quintiles and segments equal the plain SQL ntile check");
            for (String col : new String[] {"r_score", "f_score", "m_score"}) {
                // Quintiles by ntile: sizes differ by at most one.
                assertTrue(scalar(st, "SELECT max(n) - min(n) FROM (SELECT count(*) AS n FROM retention_scores WHERE"
                        + " retention_run_id = " + runId + " GROUP BY " + col + ")") <= 1, col + " quintile sizes");
            }
            Map<String, Long> plain = new LinkedHashMap<>();
            try (ResultSet rs = st.executeQuery("SELECT segment, count(*) FROM plain GROUP BY 1 ORDER BY 2 DESC, 1")) {
                while (rs.next()) {
                    plain.put(rs.getString(1), rs.getLong(2));
                }
            }
            Map<String, Long> ours = new LinkedHashMap<>();
            try (ResultSet rs = st.executeQuery("SELECT segment, count(*) FROM retention_scores WHERE retention_run_id = "
                    + runId + " GROUP BY 1 ORDER BY 2 DESC, 1")) {
                while (rs.next()) {
                    ours.put(rs.getString(1), rs.getLong(2));
                }
            }
            assertEquals(plain, ours, "segment sizes");
            assertEquals(purchasing, scalar(st, "SELECT count(*) FROM customers WHERE segment IS NOT NULL AND status IS NOT NULL"),
                    "customers.segment and customers.status written back");
            return ours;
        }
    }

    static long scalar(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
