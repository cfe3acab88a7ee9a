package io.clvanalytics.engine.jasper;

import io.clvanalytics.engine.Engine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * A store with every table the templates read, filled by set-based SQL in the shape the schema
 * contract (db/migration) defines: customers, products, transactions over two years, one model run
 * with scores, one retention run, two quality runs and lifecycle stages. Deterministic.
 */
final class ReportFixture {

    /** The fixed clock of report tests: generation times in headers are reproducible. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-20T09:30:00Z"), ZoneOffset.UTC);

    /** The name of customer C1: text a spreadsheet would run as a formula if it were not kept as text. */
    static final String FORMULA_NAME = "=HYPERLINK(\"http://x\",\"y\")";

    private ReportFixture() {}

    /** Creates a store at {@code file} with {@code customers} customers; {@code scored} adds model, retention, quality and lifecycle results. */
    static Engine create(Path file, int customers, boolean scored) throws SQLException {
        Engine engine = Engine.open(file, CLOCK);
        try (Connection c = engine.connect(); Statement st = c.createStatement()) {
            st.execute("INSERT INTO import_batches (id, kind, source, started_at) VALUES (1, 'test', 'fixture', TIMESTAMP '2026-11-01 00:00:00')");
            st.execute("""
                    INSERT INTO customers (id, source_id, name, country, segment, status, acquisition_date, batch_id)
                    SELECT i, 'C' || i, 'Customer <b>' || i || '</b> & Co',
                           (['US', 'DE', 'FR', 'GB'])[1 + i % 4],
                           (['champions', 'loyal', 'at risk', 'hibernating'])[1 + i % 4],
                           CASE WHEN i % 3 = 0 THEN 'lapsed' ELSE 'active' END,
                           DATE '2024-01-01' + CAST((i * 7919) % 600 AS INTEGER), 1
                    FROM range(1, ? + 1) t(i)
                    """.replace("?", Integer.toString(customers)));
            try (PreparedStatement ps = c.prepareStatement("UPDATE customers SET name = ? WHERE id = 1")) {
                ps.setString(1, FORMULA_NAME);
                ps.executeUpdate();
            }
            st.execute("""
                    INSERT INTO products (id, source_id, name, category, is_product, batch_id)
                    SELECT i, 'P' || i, 'Product ' || i, (['books', 'music', 'video', 'games', 'toys', 'garden'])[1 + i % 6], true, 1
                    FROM range(1, 41) t(i)
                    """);
            st.execute("INSERT INTO products (id, source_id, name, category, is_product, batch_id) VALUES (99, 'POST', 'Postage', NULL, false, 1)");
            st.execute("""
                    INSERT INTO transactions (id, customer_id, product_id, order_id, date, quantity, unit_price, amount, currency, is_return, batch_id)
                    SELECT row_number() OVER (), c.id, 1 + (c.id * 31 + k * 17) % 40, 'O' || c.id || '-' || (k / 2),
                           least(c.acquisition_date + CAST(k * (20 + c.id % 90) AS INTEGER), DATE '2026-10-31'),
                           1 + k % 3, 9.5 + (c.id % 50), (1 + k % 3) * (9.5 + (c.id % 50)), 'USD', false, 1
                    FROM customers c, range(0, 2 + CAST(c.id % 7 AS INTEGER)) r(k)
                    """);
            st.execute("UPDATE customers SET last_transaction_date = (SELECT max(date) FROM transactions t WHERE t.customer_id = customers.id)");
            if (!scored) {
                return engine;
            }
            st.execute("""
                    INSERT INTO model_runs (id, model, fitted_at, calibration_start, calibration_end, holdout_end, time_unit, customers,
                                            log_likelihood, converged, iterations, penalizer, parameters_json)
                    SELECT 1, 'BG/NBD', TIMESTAMP '2026-11-19 08:00:00', DATE '2024-01-01', DATE '2026-04-30', DATE '2026-10-31', 'week',
                           count(*), -12345.6, true, 42, 0.0, '{"r": {"value": 0.24}, "alpha": {"value": 4.41}, "a": {"value": 0.79}, "b": {"value": 2.43}}'
                    FROM customers
                    """);
            st.execute("""
                    INSERT INTO customer_scores (run_id, customer_id, frequency, recency, t, monetary_value, p_alive, expected_purchases,
                                                 expected_spend, clv, horizon, discount_rate, scored_at)
                    SELECT 1, id, id % 7, 30 + id % 50, 100, 20 + id % 50, (id % 100) / 100.0, (id % 13) / 3.0, 20 + id % 50,
                           CASE WHEN id % 11 = 0 THEN 3000 + id % 977 ELSE (id * 37) % 900 END, 52, 0.01, TIMESTAMP '2026-11-19 08:00:00'
                    FROM customers
                    """);
            st.execute("UPDATE customers SET clv = (SELECT clv FROM customer_scores s WHERE s.customer_id = customers.id)");
            st.execute("""
                    INSERT INTO model_run_holdout (run_id, frequency, customers, expected_purchases, actual_purchases)
                    SELECT 1, f, 100 - 10 * f, 0.2 + 0.45 * f, 0.25 + 0.4 * f FROM range(0, 8) r(f)
                    """);
            st.execute("""
                    INSERT INTO model_run_tracking (run_id, period, period_start, in_holdout, actual, expected, cumulative_actual, cumulative_expected)
                    SELECT 1, p, DATE '2024-01-01' + CAST(7 * p AS INTEGER), p >= 70, 10 + p % 5, 10.5,
                           sum(10 + p % 5) OVER (ORDER BY p), 10.5 * (p + 1)
                    FROM range(0, 100) r(p)
                    """);
            st.execute("""
                    INSERT INTO retention_scores (retention_run_id, run_id, customer_id, churn_probability, churn_source, value_at_risk, risk_level,
                                                  engagement_score, r_score, f_score, m_score, segment, status, action, action_reason,
                                                  action_priority, scored_at)
                    SELECT 1, 1, c.id, 1 - s.p_alive, 'model', (1 - s.p_alive) * s.clv,
                           CASE WHEN s.p_alive < 0.2 THEN 'critical' WHEN s.p_alive < 0.4 THEN 'high' WHEN s.p_alive < 0.7 THEN 'medium' ELSE 'low' END,
                           s.p_alive * 100, 1 + c.id % 5, 1 + (c.id / 5) % 5, 1 + (c.id / 25) % 5, c.segment, c.status,
                           CASE WHEN s.p_alive < 0.4 THEN 'Win-back offer' ELSE 'Keep engaged' END,
                           'P(alive) ' || round(s.p_alive, 2), CAST(c.id % 3 AS INTEGER), TIMESTAMP '2026-11-19 09:00:00'
                    FROM customers c JOIN customer_scores s ON s.customer_id = c.id
                    """);
            st.execute("""
                    INSERT INTO quality_runs (id, started_at, finished_at, window_start, window_end, score, checks_run, failures, warnings) VALUES
                      (1, TIMESTAMP '2026-11-01 06:00:00', TIMESTAMP '2026-11-01 06:01:00', DATE '2024-01-01', DATE '2026-10-31', 82.5, 3, 1, 1),
                      (2, TIMESTAMP '2026-11-18 06:00:00', TIMESTAMP '2026-11-18 06:01:00', DATE '2024-01-01', DATE '2026-10-31', 91.0, 3, 0, 1)
                    """);
            st.execute("""
                    INSERT INTO quality_results (run_id, check_name, category, severity, status, metric, threshold, offending_rows, message) VALUES
                      (2, 'negative_amounts', 'validity', 'error', 'pass', 0, '0', 0, 'no negative amounts outside returns'),
                      (2, 'duplicate_lines', 'uniqueness', 'warning', 'warn', 0.012, '< 0.01', 12, 'duplicate lines: =1+2'),
                      (2, 'future_dates', 'validity', 'error', 'pass', 0, '0', 0, 'no dates after the clock'),
                      (1, 'negative_amounts', 'validity', 'error', 'fail', 3, '0', 3, 'negative amounts')
                    """);
            st.execute("UPDATE products SET lifecycle_stage = (['introduction', 'growth', 'maturity', 'decline'])[1 + id % 4] WHERE is_product");
            st.execute("""
                    INSERT INTO product_stage_history (product_id, stage, confidence, entered_on, computed_at)
                    SELECT id, lifecycle_stage, 0.8, DATE '2026-06-01', TIMESTAMP '2026-11-19 10:00:00' FROM products WHERE is_product
                    """);
            st.execute("""
                    INSERT INTO product_lifecycle (product_id, as_of, stage, confidence, computed_at)
                    VALUES (3, DATE '2026-10-31', 'discontinued', 0.9, TIMESTAMP '2026-11-19 10:00:00')
                    """);
            st.execute("""
                    INSERT INTO product_affinity (antecedent_id, consequent_id, baskets_both, support, confidence, lift)
                    VALUES (1, 2, 77, 0.05, 0.42, 9.99), (2, 1, 77, 0.05, 0.40, 9.98)
                    """);
        }
        engine.checkpoint();
        return engine;
    }
}
