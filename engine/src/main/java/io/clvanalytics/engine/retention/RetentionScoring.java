package io.clvanalytics.engine.retention;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clvanalytics.engine.DataValidationException;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The set-based scoring of one retention run (all customers in a few DuckDB statements). Runs
 * inside the caller's transaction; see {@link RetentionService#score(RetentionSettings)} for the
 * definitions.
 */
final class RetentionScoring {

    /** Engagement weights: recency, frequency, monetary, tenure, trend (they sum to 1). */
    static final double W_RECENCY = 0.35;
    static final double W_FREQUENCY = 0.20;
    static final double W_MONETARY = 0.15;
    static final double W_TENURE = 0.10;
    static final double W_TREND = 0.20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private RetentionScoring() {}

    static RetentionRun run(Connection c, RetentionSettings s, Instant now) throws SQLException {
        LocalDate asOf = s.asOf() != null ? s.asOf() : lastPurchaseDate(c);
        Long modelRunId = modelRun(c, s.modelRunId());
        String note = noDropoutNote(c, modelRunId);
        long id = scalarLong(c, "SELECT nextval('retention_run_seq')");
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS ret_base");
            st.execute("DROP TABLE IF EXISTS ret_grid");
            st.execute("DROP TABLE IF EXISTS ret_rules");
            st.execute("CREATE TEMP TABLE ret_grid (r INTEGER, f INTEGER, segment VARCHAR)");
            st.execute("CREATE TEMP TABLE ret_rules (ord INTEGER, segment VARCHAR, risk_level VARCHAR, value_tier VARCHAR,"
                    + " action VARCHAR, priority INTEGER, reason VARCHAR)");
        }
        fillGridAndRules(c, s);
        createBase(c, s, asOf, modelRunId, note == null);
        double[] thresholds = thresholds(c, s);
        insertScores(c, s, id, modelRunId, now, thresholds);
        long[] counts = counts(c, id);
        if (counts[0] == 0) {
            throw new DataValidationException("retention: no customer has a purchase on or before " + asOf);
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE customers SET segment = r.segment, status = r.status"
                + " FROM retention_scores r WHERE r.retention_run_id = ? AND customers.id = r.customer_id")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO retention_runs(id, run_id, as_of, started_at, finished_at,"
                + " customers, settings_json) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, id);
            ps.setObject(2, modelRunId);
            ps.setDate(3, Date.valueOf(asOf));
            ps.setTimestamp(4, Timestamp.from(now));
            ps.setTimestamp(5, Timestamp.from(now));
            ps.setLong(6, counts[0]);
            var described = s.describe();
            described.put("valueAtRiskThreshold", thresholds[2]);
            described.put("clvLowThreshold", thresholds[0]);
            described.put("clvHighThreshold", thresholds[1]);
            if (note != null) {
                described.put("note", note);
            }
            ps.setString(7, toJson(described));
            ps.executeUpdate();
        }
        pruneOldRuns(c, s.keepRuns());
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE ret_base");
            st.execute("DROP TABLE ret_grid");
            st.execute("DROP TABLE ret_rules");
        }
        return new RetentionRun(id, modelRunId, asOf, now, counts[0], counts[1], counts[0] - counts[1],
                s.inactivityDays(), thresholds[2], thresholds[0], thresholds[1], note);
    }

    /**
     * When the model run's fit put its drop-out parameter on the boundary (P(alive) ≈ 1 for all,
     * see {@code model_runs.dropout_boundary}), the plain-words note that churn comes from recency
     * instead; else null.
     */
    private static String noDropoutNote(Connection c, Long modelRunId) throws SQLException {
        if (modelRunId == null) {
            return null;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT model, dropout_boundary FROM model_runs WHERE id = ? AND dropout_boundary IS NOT NULL")) {
            ps.setLong(1, modelRunId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? "model run " + modelRunId + " (" + rs.getString(1) + ") finds no measurable drop-out ("
                        + rs.getString(2) + " -> 0, P(alive) ~ 1 for everyone): churn risk comes from recency against each customer's"
                        + " own purchase rhythm (churn_source recency_fallback), not from P(alive); CLV still comes from the model run"
                        : null;
            }
        }
    }

    static LocalDate lastPurchaseDate(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT max(date) FROM transactions WHERE NOT is_return")) {
            rs.next();
            Date d = rs.getDate(1);
            if (d == null) {
                throw new DataValidationException("retention: the store has no purchases yet; import or generate transactions first");
            }
            return d.toLocalDate();
        }
    }

    /** The requested model run (checked to have scores), else the latest run with scores, else null. */
    private static Long modelRun(Connection c, Long requested) throws SQLException {
        if (requested != null) {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM customer_scores WHERE run_id = ?")) {
                ps.setLong(1, requested);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        throw new DataValidationException("--model-run: model run " + requested + " has no customer scores");
                    }
                }
            }
            return requested;
        }
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT m.id FROM model_runs m WHERE EXISTS"
                     + " (SELECT 1 FROM customer_scores s WHERE s.run_id = m.id) ORDER BY m.fitted_at DESC, m.id DESC LIMIT 1")) {
            return rs.next() ? rs.getLong(1) : null;
        }
    }

    private static void fillGridAndRules(Connection c, RetentionSettings s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ret_grid VALUES (?, ?, ?)")) {
            for (int r = 1; r <= 5; r++) {
                for (int f = 1; f <= 5; f++) {
                    ps.setInt(1, r);
                    ps.setInt(2, f);
                    ps.setString(3, s.segmentMap().segment(r, f));
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ret_rules VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            List<ActionRules.Rule> rules = s.actionRules().rules();
            for (int i = 0; i < rules.size(); i++) {
                ActionRules.Rule r = rules.get(i);
                ps.setInt(1, i);
                ps.setString(2, r.segment());
                ps.setString(3, r.riskLevel());
                ps.setString(4, r.valueTier());
                ps.setString(5, r.action());
                ps.setInt(6, r.priority());
                ps.setString(7, r.reason());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Per customer with at least one purchase day on or before asOf: RFM inputs, trend counts,
     * P(alive) and CLV from the model run, churn probability (model or recency fallback) and CLV.
     */
    private static void createBase(Connection c, RetentionSettings s, LocalDate asOf, Long modelRunId, boolean usePAlive)
            throws SQLException {
        String sql = """
                CREATE TEMP TABLE ret_base AS
                WITH days AS (
                    SELECT customer_id, date, sum(amount)::DOUBLE AS amount, bool_or(NOT is_return) AS purchase
                    FROM transactions WHERE date <= ?::DATE AND customer_id IS NOT NULL GROUP BY customer_id, date),
                feats AS (
                    SELECT customer_id,
                           min(date) FILTER (WHERE purchase) AS first_date,
                           max(date) FILTER (WHERE purchase) AS last_date,
                           count(*) FILTER (WHERE purchase)::INTEGER AS frequency,
                           coalesce(sum(amount), 0) AS monetary,
                           count(*) FILTER (WHERE purchase AND date_diff('day', date, ?::DATE) < ?)::INTEGER AS recent_purchases,
                           count(*) FILTER (WHERE purchase AND date_diff('day', date, ?::DATE) >= ?
                                            AND date_diff('day', date, ?::DATE) < 2 * ?)::INTEGER AS prior_purchases
                    FROM days GROUP BY customer_id
                    HAVING count(*) FILTER (WHERE purchase) > 0),
                model AS (
                    SELECT customer_id, max(p_alive) AS p_alive, max(clv) AS clv
                    FROM customer_scores WHERE run_id = ? GROUP BY customer_id),
                f AS (
                    SELECT feats.*,
                           date_diff('day', last_date, ?::DATE)::INTEGER AS recency_days,
                           date_diff('day', first_date, ?::DATE)::INTEGER AS tenure_days,
                           CASE WHEN ? AND isfinite(model.p_alive) AND model.p_alive BETWEEN 0 AND 1 THEN model.p_alive END AS p_alive,
                           CASE WHEN isfinite(model.clv) THEN model.clv END AS model_clv
                    FROM feats LEFT JOIN model USING (customer_id))
                SELECT f.*,
                       CASE WHEN p_alive IS NOT NULL THEN 1 - p_alive
                            ELSE 1 - exp(-recency_days / (greatest(tenure_days, 1)::DOUBLE / frequency)) END AS churn_probability,
                       CASE WHEN p_alive IS NOT NULL THEN 'model' ELSE 'recency_fallback' END AS churn_source,
                       CASE WHEN model_clv IS NOT NULL THEN model_clv
                            ELSE greatest(monetary, 0) * 365.0 / greatest(tenure_days, 365) END AS clv,
                       CASE WHEN model_clv IS NOT NULL THEN 'model' ELSE 'historical_spend' END AS clv_source
                FROM f
                """;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            Date d = Date.valueOf(asOf);
            ps.setDate(i++, d);
            ps.setDate(i++, d);
            ps.setInt(i++, s.trendDays());
            ps.setDate(i++, d);
            ps.setInt(i++, s.trendDays());
            ps.setDate(i++, d);
            ps.setInt(i++, s.trendDays());
            ps.setObject(i++, modelRunId);
            ps.setDate(i++, d);
            ps.setDate(i++, d);
            ps.setBoolean(i++, usePAlive);
            ps.execute();
        }
    }

    /** [CLV low-tier threshold, CLV high-tier threshold, value-at-risk threshold]. */
    private static double[] thresholds(Connection c, RetentionSettings s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(quantile_cont(clv, ?), 0), coalesce(quantile_cont(clv, ?), 0),"
                + " coalesce(quantile_cont(clv * churn_probability, ?), 0) FROM ret_base")) {
            ps.setDouble(1, s.valueTierLowQuantile());
            ps.setDouble(2, s.valueTierHighQuantile());
            ps.setDouble(3, s.valueAtRiskQuantile());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                double var = s.valueAtRiskHigh() != null ? s.valueAtRiskHigh() : rs.getDouble(3);
                return new double[] {rs.getDouble(1), rs.getDouble(2), var};
            }
        }
    }

    private static void insertScores(Connection c, RetentionSettings s, long id, Long modelRunId, Instant now,
                                     double[] t) throws SQLException {
        String sql = """
                INSERT INTO retention_scores (retention_run_id, run_id, customer_id, churn_probability, churn_source,
                    value_at_risk, risk_level, engagement_score, r_score, f_score, m_score, segment, status, action,
                    action_reason, action_priority, scored_at, p_alive, clv, clv_source, value_tier, recency_days,
                    tenure_days, frequency, monetary, recent_purchases, prior_purchases)
                WITH p AS (SELECT ?::DOUBLE AS clv_low, ?::DOUBLE AS clv_high, ?::DOUBLE AS var_high,
                                  ?::DOUBLE AS churn_medium, ?::DOUBLE AS churn_high, ?::INTEGER AS inactivity),
                v AS (
                    SELECT b.*, b.clv * b.churn_probability AS value_at_risk,
                           CASE WHEN b.clv >= p.clv_high AND b.clv > 0 THEN 'high'
                                WHEN b.clv < p.clv_low OR b.clv <= 0 THEN 'low' ELSE 'medium' END AS value_tier,
                           ntile(5) OVER (ORDER BY b.last_date, b.customer_id) AS r_score,
                           ntile(5) OVER (ORDER BY b.frequency, b.customer_id) AS f_score,
                           ntile(5) OVER (ORDER BY b.monetary, b.customer_id) AS m_score,
                           round(100 * (? * greatest(0.0, 1.0 - b.recency_days::DOUBLE / p.inactivity)
                                      + ? * cume_dist() OVER (ORDER BY b.frequency)
                                      + ? * cume_dist() OVER (ORDER BY b.monetary)
                                      + ? * cume_dist() OVER (ORDER BY b.tenure_days)
                                      + ? * (b.recent_purchases + 1.0) / (b.recent_purchases + b.prior_purchases + 2.0)), 1)
                               AS engagement_score
                    FROM ret_base b CROSS JOIN p),
                r AS (
                    SELECT v.*, g.segment,
                           CASE WHEN v.churn_probability >= p.churn_high AND v.value_at_risk >= p.var_high THEN 'critical'
                                WHEN v.churn_probability >= p.churn_high THEN 'high'
                                WHEN v.churn_probability >= p.churn_medium AND v.value_at_risk >= p.var_high THEN 'high'
                                WHEN v.churn_probability >= p.churn_medium THEN 'medium'
                                -- silent for the inactivity window (status churned): never low risk
                                WHEN v.recency_days >= p.inactivity THEN 'medium' ELSE 'low' END AS risk_level
                    FROM v JOIN ret_grid g ON g.r = v.r_score AND g.f = v.f_score CROSS JOIN p),
                s AS (
                    SELECT r.*, CASE WHEN r.recency_days >= p.inactivity THEN 'churned'
                                     WHEN r.risk_level IN ('high', 'critical') THEN 'at risk' ELSE 'active' END AS status
                    FROM r CROSS JOIN p),
                m AS (
                    SELECT s.customer_id, min(u.ord) AS ord FROM s JOIN ret_rules u
                      ON (u.segment IS NULL OR u.segment = s.segment)
                     AND (u.risk_level IS NULL OR u.risk_level = s.risk_level)
                     AND (u.value_tier IS NULL OR u.value_tier = s.value_tier)
                    GROUP BY s.customer_id)
                SELECT ?, CASE WHEN s.churn_source = 'model' THEN ?::BIGINT END, s.customer_id, s.churn_probability, s.churn_source, s.value_at_risk, s.risk_level,
                       s.engagement_score, s.r_score, s.f_score, s.m_score, s.segment, s.status, u.action,
                       u.reason || printf(' (churn %.2f from %s, %s risk; value at risk %.2f vs threshold %.2f;'
                           || ' CLV %.2f, %s value; %s, R%d F%d M%d; last purchase %d days ago, %d purchase days)',
                           s.churn_probability, s.churn_source, s.risk_level, s.value_at_risk, p.var_high,
                           s.clv, s.value_tier, s.segment, s.r_score, s.f_score, s.m_score, s.recency_days, s.frequency),
                       u.priority, ?::TIMESTAMP, s.p_alive, s.clv, s.clv_source, s.value_tier, s.recency_days,
                       s.tenure_days, s.frequency, s.monetary, s.recent_purchases, s.prior_purchases
                FROM s JOIN m USING (customer_id) JOIN ret_rules u ON u.ord = m.ord CROSS JOIN p
                """;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setDouble(i++, t[0]);
            ps.setDouble(i++, t[1]);
            ps.setDouble(i++, t[2]);
            ps.setDouble(i++, s.churnMedium());
            ps.setDouble(i++, s.churnHigh());
            ps.setInt(i++, s.inactivityDays());
            ps.setDouble(i++, W_RECENCY);
            ps.setDouble(i++, W_FREQUENCY);
            ps.setDouble(i++, W_MONETARY);
            ps.setDouble(i++, W_TENURE);
            ps.setDouble(i++, W_TREND);
            ps.setLong(i++, id);
            ps.setObject(i++, modelRunId);
            ps.setTimestamp(i++, Timestamp.from(now));
            ps.executeUpdate();
        }
    }

    /** [customers, scored by the model]. */
    private static long[] counts(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*), count(*) FILTER (WHERE churn_source = 'model')"
                + " FROM retention_scores WHERE retention_run_id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        }
    }

    private static void pruneOldRuns(Connection c, int keep) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM retention_scores WHERE retention_run_id NOT IN"
                + " (SELECT id FROM retention_runs ORDER BY id DESC LIMIT ?)")) {
            ps.setInt(1, keep);
            ps.executeUpdate();
        }
    }

    private static long scalarLong(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String toJson(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write retention settings as JSON", e);
        }
    }
}
