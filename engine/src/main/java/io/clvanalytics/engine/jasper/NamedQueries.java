package io.clvanalytics.engine.jasper;

import static io.clvanalytics.engine.jasper.QueryParameter.Type.DATE;
import static io.clvanalytics.engine.jasper.QueryParameter.Type.INTEGER;
import static io.clvanalytics.engine.jasper.QueryParameter.Type.NUMBER;
import static io.clvanalytics.engine.jasper.QueryParameter.Type.TEXT;

import io.clvanalytics.engine.lifecycle.ProductMeasures;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The catalogue of the {@code clv} query language: every query a template can ask for by name.
 * Each reads the tables of the store schema (db/migration) and picks the latest model, retention
 * and quality run unless a {@code run} parameter names one. The README's query language reference
 * lists the same names, parameters and columns.
 */
public final class NamedQueries {

    /** The purchase model run with the newest scores, or the one named by {@code :run}. */
    private static final String SCORE_RUN = "coalesce(:run, (SELECT run_id FROM customer_scores GROUP BY run_id"
            + " ORDER BY max(scored_at) DESC, run_id DESC LIMIT 1))";
    private static final String RETENTION_RUN = "(SELECT max(retention_run_id) FROM retention_scores)";
    private static final String QUALITY_RUN = "coalesce(:run, (SELECT id FROM quality_runs ORDER BY started_at DESC, id DESC LIMIT 1))";
    private static final String NO_LIMIT = "9223372036854775807";

    private static final QueryParameter RUN = new QueryParameter("run", INTEGER, "model run id (default: the latest run with scores)");
    private static final QueryParameter LIMIT = new QueryParameter("limit", INTEGER, "at most this many rows (default: all)");
    private static final QueryParameter OFFSET = new QueryParameter("offset", INTEGER, "skip this many rows first (default 0)");

    private static final Map<String, NamedQuery> QUERIES = new LinkedHashMap<>();

    static {
        add("customer_scores",
                "one row per customer: identity, segment, the latest CLV scores and retention risk; customers without scores have empty score columns",
                List.of(new QueryParameter("segment", TEXT, "only this segment (case-insensitive)"),
                        new QueryParameter("risk", TEXT, "only this risk level (case-insensitive)"),
                        new QueryParameter("min_clv", NUMBER, "only customers with CLV at least this"),
                        RUN, LIMIT),
                "customer, name, country, segment, status (text); acquisition_date, last_transaction_date (date); frequency, recency,"
                        + " monetary_value, p_alive, expected_purchases, expected_spend, clv, churn_probability, value_at_risk (number);"
                        + " risk_level, action, action_reason (text); run_id (integer). Sorted by CLV, highest first",
                """
                WITH s AS (SELECT * FROM customer_scores WHERE run_id = %s),
                     r AS (SELECT * FROM retention_scores WHERE retention_run_id = %s)
                SELECT c.source_id AS customer, c.name, c.country,
                       coalesce(r.segment, c.segment) AS segment, coalesce(r.status, c.status) AS status,
                       c.acquisition_date, c.last_transaction_date,
                       s.frequency, s.recency, s.monetary_value, s.p_alive, s.expected_purchases, s.expected_spend, s.clv,
                       r.churn_probability, r.value_at_risk, r.risk_level, r.action, r.action_reason, s.run_id
                FROM customers c
                LEFT JOIN s ON s.customer_id = c.id
                LEFT JOIN r ON r.customer_id = c.id
                WHERE (:segment IS NULL OR lower(coalesce(r.segment, c.segment)) = lower(:segment))
                  AND (:risk IS NULL OR lower(r.risk_level) = lower(:risk))
                  AND (:min_clv IS NULL OR s.clv >= :min_clv)
                ORDER BY s.clv DESC NULLS LAST, c.source_id
                LIMIT coalesce(:limit, %s)
                """.formatted(SCORE_RUN, RETENTION_RUN, NO_LIMIT));

        add("kpis",
                "exactly one row: store totals and the model run the CLV figures come from (model_run_id is empty when no model has been fitted)",
                List.of(RUN),
                "customers, scored_customers, transactions (integer); revenue, total_clv, average_clv, active_share, horizon (number);"
                        + " first_date, last_date, calibration_start, calibration_end, holdout_end (date); model_run_id (integer);"
                        + " model, time_unit, model_warning (text); fitted_at (timestamp); converged (boolean)."
                        + " model_warning says in words when the run's fit found no measurable drop-out (P(alive) ~ 1 for all);"
                        + " active_share then comes from customers' status, not from P(alive)",
                """
                WITH s AS (SELECT * FROM customer_scores WHERE run_id = %s),
                     t AS (SELECT count(*) AS transactions, CAST(sum(amount) AS DOUBLE) AS revenue,
                                  min(date) AS first_date, max(date) AS last_date FROM transactions),
                     k AS (SELECT count(*) AS scored_customers, sum(clv) AS total_clv, avg(clv) AS average_clv,
                                  avg(CASE WHEN p_alive >= 0.5 THEN 1.0 ELSE 0.0 END) AS alive_share,
                                  max(horizon) AS horizon, max(run_id) AS run_id FROM s),
                     c AS (SELECT count(*) AS customers,
                                  avg(CASE WHEN lower(status) = 'active' THEN 1.0 WHEN status IS NULL THEN NULL ELSE 0.0 END) AS status_share
                           FROM customers)
                SELECT c.customers, k.scored_customers, t.transactions, t.revenue, k.total_clv, k.average_clv,
                       coalesce(CASE WHEN m.dropout_boundary IS NULL THEN k.alive_share END, c.status_share) AS active_share, k.horizon,
                       t.first_date, t.last_date, m.calibration_start, m.calibration_end, m.holdout_end,
                       m.id AS model_run_id, m.model, m.time_unit, m.fitted_at, m.converged, m.warning AS model_warning
                FROM c CROSS JOIN t CROSS JOIN k LEFT JOIN model_runs m ON m.id = k.run_id
                """.formatted(SCORE_RUN));

        add("clv_distribution",
                "customers of the latest scoring run by CLV band, in band order",
                List.of(RUN),
                "band (text); band_order, customers (integer); total_clv (number)",
                """
                WITH s AS (SELECT clv FROM customer_scores WHERE run_id = %s AND clv IS NOT NULL),
                     b AS (SELECT * FROM (VALUES (1, 'under 10', -1e308, 10.0), (2, '10-50', 10.0, 50.0), (3, '50-100', 50.0, 100.0),
                                                 (4, '100-250', 100.0, 250.0), (5, '250-500', 250.0, 500.0), (6, '500-1k', 500.0, 1000.0),
                                                 (7, '1k-2.5k', 1000.0, 2500.0), (8, '2.5k+', 2500.0, 1e308)) v(band_order, band, lo, hi))
                SELECT b.band, b.band_order, count(s.clv) AS customers, coalesce(sum(s.clv), 0) AS total_clv
                FROM b LEFT JOIN s ON s.clv >= b.lo AND s.clv < b.hi
                GROUP BY b.band, b.band_order
                ORDER BY b.band_order
                """.formatted(SCORE_RUN));

        add("clv_by_segment",
                "CLV per customer segment (retention segment when scored, else customers.segment), largest total first",
                List.of(RUN),
                "segment (text); customers (integer); total_clv, average_clv, share_of_clv (number)",
                """
                WITH s AS (SELECT * FROM customer_scores WHERE run_id = %s),
                     r AS (SELECT * FROM retention_scores WHERE retention_run_id = %s),
                     j AS (SELECT coalesce(r.segment, c.segment, 'unsegmented') AS segment, s.clv
                           FROM customers c JOIN s ON s.customer_id = c.id LEFT JOIN r ON r.customer_id = c.id)
                SELECT segment, count(*) AS customers, sum(clv) AS total_clv, avg(clv) AS average_clv,
                       sum(clv) / nullif(sum(sum(clv)) OVER (), 0) AS share_of_clv
                FROM j GROUP BY segment ORDER BY total_clv DESC NULLS LAST, segment
                """.formatted(SCORE_RUN, RETENTION_RUN));

        add("period_kpis",
                "two rows, current and previous: revenue, active and new customers and orders of the last N days up to the newest"
                        + " transaction, and of the N days before, for comparing periods",
                List.of(new QueryParameter("days", INTEGER, "length of each period in days (default 90)")),
                "period (text: current, previous); period_start, period_end (date); revenue (number);"
                        + " active_customers, new_customers, orders (integer)",
                """
                WITH b AS (SELECT max(date) AS last_day, CAST(coalesce(:days, 90) AS INTEGER) AS d FROM transactions),
                     p AS (SELECT 'current' AS period, last_day - d + 1 AS period_start, last_day AS period_end FROM b
                           UNION ALL
                           SELECT 'previous', last_day - 2 * d + 1, last_day - d FROM b),
                -- One pass over the transactions of both periods (not a subquery per period and figure).
                     t AS (SELECT p.period, CAST(sum(t.amount) AS DOUBLE) AS revenue,
                                  count(DISTINCT t.customer_id) FILTER (WHERE NOT t.is_return) AS active_customers,
                                  count(DISTINCT t.order_id) AS orders
                           FROM transactions t JOIN p ON t.date BETWEEN p.period_start AND p.period_end
                           GROUP BY p.period),
                     n AS (SELECT p.period, count(*) AS new_customers
                           FROM customers c JOIN p ON c.acquisition_date BETWEEN p.period_start AND p.period_end
                           GROUP BY p.period)
                SELECT p.period, p.period_start, p.period_end, t.revenue, coalesce(t.active_customers, 0) AS active_customers,
                       coalesce(n.new_customers, 0) AS new_customers, coalesce(t.orders, 0) AS orders
                FROM p LEFT JOIN t USING (period) LEFT JOIN n USING (period) ORDER BY p.period
                """);

        add("monthly_revenue",
                "net revenue, buying customers and orders per calendar month, for the last N months up to the newest transaction",
                List.of(new QueryParameter("months", INTEGER, "months back from the last sale (default 24)")),
                "month (text, yyyy-MM); revenue (number); customers, orders (integer)",
                """
                WITH e AS (SELECT date_trunc('month', max(date)) AS end_month FROM transactions)
                SELECT strftime(date_trunc('month', t.date), '%Y-%m') AS month, CAST(sum(t.amount) AS DOUBLE) AS revenue,
                       count(DISTINCT t.customer_id) AS customers, count(DISTINCT t.order_id) AS orders
                FROM transactions t CROSS JOIN e
                WHERE t.date >= e.end_month - to_months(CAST(coalesce(:months, 24) AS INTEGER) - 1)
                GROUP BY 1 ORDER BY 1
                """);

        add("product_monthly",
                "net revenue of each product per month over the last N complete or current months (months without sales absent),"
                        + " for sparklines; months_ago 0 is the month of the newest transaction",
                List.of(new QueryParameter("product", TEXT, "only this product (source id)"),
                        new QueryParameter("months", INTEGER, "how many months (default 12)")),
                "product (text); months_ago (integer); revenue (number)",
                """
                WITH e AS (SELECT date_trunc('month', max(date)) AS end_month FROM transactions)
                SELECT p.source_id AS product, date_diff('month', date_trunc('month', t.date), e.end_month) AS months_ago,
                       CAST(sum(t.amount) AS DOUBLE) AS revenue
                FROM transactions t JOIN products p ON p.id = t.product_id CROSS JOIN e
                WHERE p.is_product AND (:product IS NULL OR p.source_id = :product)
                  AND t.date >= e.end_month - to_months(CAST(coalesce(:months, 12) AS INTEGER) - 1)
                GROUP BY 1, 2 ORDER BY 1, 2
                """);

        add("customer_profile",
                "the customer named by source id (no row when unknown), or every customer by source id when none is named, with"
                        + " purchase totals, latest scores and retention recommendation",
                List.of(new QueryParameter("customer", TEXT, "the customer's source id (default: every customer)"), RUN),
                "customer, name, country, segment, status (text); acquisition_date, last_transaction_date (date); orders, purchases,"
                        + " returns (integer); revenue, frequency, recency, t, monetary_value, p_alive, expected_purchases, expected_spend,"
                        + " clv, horizon, churn_probability, value_at_risk, engagement_score (number); risk_level, action, action_reason,"
                        + " model (text); run_id (integer)",
                """
                WITH c AS (SELECT * FROM customers WHERE :customer IS NULL OR source_id = :customer),
                     s AS (SELECT * FROM customer_scores WHERE run_id = %s AND customer_id IN (SELECT id FROM c)),
                     r AS (SELECT * FROM retention_scores WHERE retention_run_id = %s AND customer_id IN (SELECT id FROM c)),
                     t AS (SELECT customer_id, count(DISTINCT coalesce(order_id, CAST(date AS VARCHAR))) AS orders,
                                  count(*) FILTER (WHERE NOT is_return) AS purchases, count(*) FILTER (WHERE is_return) AS returns,
                                  CAST(sum(amount) AS DOUBLE) AS revenue
                           FROM transactions WHERE customer_id IN (SELECT id FROM c) GROUP BY customer_id)
                SELECT c.source_id AS customer, c.name, c.country, coalesce(r.segment, c.segment) AS segment,
                       coalesce(r.status, c.status) AS status, c.acquisition_date, c.last_transaction_date,
                       coalesce(t.orders, 0) AS orders, coalesce(t.purchases, 0) AS purchases, coalesce(t.returns, 0) AS returns,
                       t.revenue,
                       s.frequency, s.recency, s.t, s.monetary_value, s.p_alive, s.expected_purchases, s.expected_spend, s.clv, s.horizon,
                       r.churn_probability, r.value_at_risk, r.engagement_score, r.risk_level, r.action, r.action_reason,
                       m.model, s.run_id
                FROM c
                LEFT JOIN t ON t.customer_id = c.id
                LEFT JOIN s ON s.customer_id = c.id
                LEFT JOIN r ON r.customer_id = c.id
                LEFT JOIN model_runs m ON m.id = s.run_id
                ORDER BY c.source_id
                """.formatted(SCORE_RUN, RETENTION_RUN));

        add("customer_transactions",
                "the purchase history of one customer (or of every customer, by source id, when none is named), newest first",
                List.of(new QueryParameter("customer", TEXT, "the customer's source id (default: every customer)"),
                        new QueryParameter("per_customer", INTEGER, "only each customer's newest this many rows (default: all)"),
                        LIMIT, OFFSET),
                "customer (text); date (date); order_id, product, category (text); quantity, amount (number); is_return (boolean)",
                """
                SELECT c.source_id AS customer, t.date, t.order_id, coalesce(p.name, p.source_id) AS product, p.category,
                       t.quantity, CAST(t.amount AS DOUBLE) AS amount, t.is_return
                FROM transactions t JOIN customers c ON c.id = t.customer_id
                LEFT JOIN products p ON p.id = t.product_id
                WHERE :customer IS NULL OR c.source_id = :customer
                QUALIFY :per_customer IS NULL
                        OR row_number() OVER (PARTITION BY t.customer_id ORDER BY t.date DESC, t.id DESC) <= :per_customer
                ORDER BY c.source_id, t.date DESC, t.id DESC
                LIMIT coalesce(:limit, %s) OFFSET coalesce(:offset, 0)
                """.formatted(NO_LIMIT));

        add("retention_summary",
                "exactly one row: the latest retention run's totals (retention_run_id is empty when retention has not been scored)",
                List.of(),
                "retention_run_id, customers, at_risk_customers (integer); value_at_risk (of the customers at high or critical risk),"
                        + " value_at_risk_all (of every scored customer), average_churn_probability (number); scored_at (timestamp)",
                """
                SELECT max(retention_run_id) AS retention_run_id, count(*) AS customers,
                       count(*) FILTER (WHERE lower(risk_level) IN ('high', 'critical')) AS at_risk_customers,
                       sum(value_at_risk) FILTER (WHERE lower(risk_level) IN ('high', 'critical')) AS value_at_risk,
                       sum(value_at_risk) AS value_at_risk_all, avg(churn_probability) AS average_churn_probability, max(scored_at) AS scored_at
                FROM retention_scores WHERE retention_run_id = %s
                """.formatted(RETENTION_RUN));

        add("segment_risk",
                "the latest retention run's customers by segment and risk level, with their value at risk",
                List.of(),
                "segment, risk_level (text); customers (integer); value_at_risk, average_churn_probability (number)",
                """
                SELECT coalesce(segment, 'unsegmented') AS segment, coalesce(risk_level, 'unknown') AS risk_level, count(*) AS customers,
                       sum(value_at_risk) AS value_at_risk, avg(churn_probability) AS average_churn_probability
                FROM retention_scores WHERE retention_run_id = %s
                GROUP BY 1, 2 ORDER BY 1, 2
                """.formatted(RETENTION_RUN));

        add("cohort_retention",
                "share of each monthly acquisition cohort buying again N months after its first purchase (the newest cohorts)",
                List.of(new QueryParameter("cohorts", INTEGER, "how many of the newest cohorts (default 12)"),
                        new QueryParameter("months", INTEGER, "months after acquisition to show (default 12)")),
                "cohort (text, yyyy-MM); month_offset, cohort_size, active (integer); retention (number, 0-1)",
                """
                WITH firsts AS (SELECT customer_id, date_trunc('month', min(date)) AS cohort
                                FROM transactions WHERE NOT is_return AND customer_id IS NOT NULL GROUP BY customer_id),
                     chosen AS (SELECT cohort FROM (SELECT DISTINCT cohort FROM firsts) ORDER BY cohort DESC LIMIT coalesce(:cohorts, 12)),
                     sizes AS (SELECT f.cohort, count(*) AS cohort_size FROM firsts f JOIN chosen USING (cohort) GROUP BY f.cohort),
                     act AS (SELECT DISTINCT t.customer_id, f.cohort, date_diff('month', f.cohort, date_trunc('month', t.date)) AS month_offset
                             FROM transactions t JOIN firsts f USING (customer_id) JOIN chosen USING (cohort) WHERE NOT t.is_return)
                SELECT strftime(a.cohort, '%Y-%m') AS cohort, a.month_offset, s.cohort_size, count(*) AS active,
                       count(*) / s.cohort_size AS retention
                FROM act a JOIN sizes s USING (cohort)
                WHERE a.month_offset <= coalesce(:months, 12)
                GROUP BY a.cohort, a.month_offset, s.cohort_size
                ORDER BY a.cohort, a.month_offset
                """);

        add("survival_curve",
                "share of customers still buying N months after their first purchase, among customers observed that long",
                List.of(new QueryParameter("months", INTEGER, "months to show (default 24)")),
                "month_offset, customers (integer); surviving (number, 0-1)",
                """
                WITH c AS (SELECT customer_id, date_trunc('month', min(date)) AS cohort, date_trunc('month', max(date)) AS last_month
                           FROM transactions WHERE NOT is_return AND customer_id IS NOT NULL GROUP BY customer_id),
                     e AS (SELECT date_trunc('month', max(date)) AS end_month FROM transactions),
                     k AS (SELECT range AS month_offset FROM range(0, coalesce(:months, 24) + 1))
                SELECT k.month_offset, count(*) AS customers,
                       count(*) FILTER (WHERE date_diff('month', c.cohort, c.last_month) >= k.month_offset) / count(*) AS surviving
                FROM k CROSS JOIN c CROSS JOIN e
                WHERE date_diff('month', c.cohort, e.end_month) >= k.month_offset
                GROUP BY k.month_offset ORDER BY k.month_offset
                """);

        add("at_risk",
                "customers of the latest retention run at high or critical risk, most value at risk first, with the recommended action",
                List.of(new QueryParameter("risk", TEXT, "only this risk level (default: high and critical)"), LIMIT),
                "customer, name, segment, risk_level, action, action_reason (text); churn_probability, value_at_risk, clv (number);"
                        + " action_priority (integer)",
                """
                SELECT c.source_id AS customer, c.name, r.segment, r.risk_level, r.churn_probability, r.value_at_risk,
                       c.clv, r.action, r.action_reason, r.action_priority
                FROM retention_scores r JOIN customers c ON c.id = r.customer_id
                WHERE r.retention_run_id = %s
                  AND (CASE WHEN :risk IS NULL THEN lower(r.risk_level) IN ('high', 'critical') ELSE lower(r.risk_level) = lower(:risk) END)
                ORDER BY r.value_at_risk DESC NULLS LAST, r.churn_probability DESC NULLS LAST, c.source_id
                LIMIT coalesce(:limit, %s)
                """.formatted(RETENTION_RUN, NO_LIMIT));

        add("product_metrics",
                "one row per product with sales: net revenue, net units, customers (the definitions of clv products,"
                        + " ProductMeasures), ABC class (A: the products making the first 80 % of revenue, B: the next 15 %, C: the"
                        + " rest), and the stored product analysis's growth and lifecycle stage (empty growth and stage"
                        + " 'unclassified' until clv products has run)",
                List.of(new QueryParameter("abc", TEXT, "only this ABC class"),
                        new QueryParameter("stage", TEXT, "only this lifecycle stage (case-insensitive)"), LIMIT),
                "product, name, category, abc_class, lifecycle_stage (text); revenue, units, revenue_share, growth (number);"
                        + " customers, orders (integer); first_sale, last_sale (date). Sorted by revenue, highest first",
                """
                WITH p AS (SELECT t.product_id, CAST(%s AS DOUBLE) AS revenue, CAST(%s AS DOUBLE) AS units,
                                  %s AS customers, count(DISTINCT t.order_id) AS orders,
                                  min(t.date) AS first_sale, max(t.date) AS last_sale
                           FROM transactions t WHERE t.product_id IS NOT NULL GROUP BY t.product_id),
                     ranked AS (SELECT *, revenue / nullif(sum(revenue) OVER (), 0) AS revenue_share,
                                       (sum(revenue) OVER (ORDER BY revenue DESC, product_id ROWS UNBOUNDED PRECEDING) - revenue)
                                           / nullif(sum(revenue) OVER (), 0) AS share_before
                                FROM p),
                     classified AS (SELECT pr.source_id AS product, pr.name, pr.category,
                                           CASE WHEN share_before < 0.80 THEN 'A' WHEN share_before < 0.95 THEN 'B' ELSE 'C' END AS abc_class,
                                           coalesce(pl.stage, pr.lifecycle_stage, 'unclassified') AS lifecycle_stage,
                                           revenue, units, revenue_share, pl.growth,
                                           customers, orders, first_sale, last_sale
                                    FROM ranked JOIN products pr ON pr.id = ranked.product_id
                                    LEFT JOIN product_lifecycle pl ON pl.product_id = pr.id
                                    WHERE pr.is_product)
                SELECT * FROM classified
                WHERE (:abc IS NULL OR abc_class = upper(:abc))
                  AND (:stage IS NULL OR lower(lifecycle_stage) = lower(:stage))
                ORDER BY revenue DESC, product
                LIMIT coalesce(:limit, %s)
                """.formatted(ProductMeasures.netRevenue("t"), ProductMeasures.netUnits("t"), ProductMeasures.customers("t"),
                        NO_LIMIT));

        add("product_trend",
                "monthly revenue of the top categories (by revenue over the period), for trend charts; the last month is left out"
                        + " while it is incomplete (the data stops before its last day)",
                List.of(new QueryParameter("months", INTEGER, "months back from the last sale (default 24)"),
                        new QueryParameter("categories", INTEGER, "how many top categories (default 5)")),
                "month (text, yyyy-MM); month_start (date); category (text); revenue (number)",
                """
                WITH e AS (SELECT date_trunc('month', max(date)) AS end_month, max(date) < last_day(max(date)) AS partial
                           FROM transactions),
                     t AS (SELECT date_trunc('month', t.date) AS month_start, coalesce(p.category, 'uncategorised') AS category, t.amount
                           FROM transactions t JOIN products p ON p.id = t.product_id CROSS JOIN e
                           WHERE p.is_product AND t.date >= e.end_month - to_months(coalesce(:months, 24) - 1)),
                     top AS (SELECT category FROM t GROUP BY category ORDER BY sum(amount) DESC LIMIT coalesce(:categories, 5))
                SELECT strftime(month_start, '%Y-%m') AS month, CAST(month_start AS DATE) AS month_start, category,
                       CAST(sum(amount) AS DOUBLE) AS revenue
                FROM t JOIN top USING (category) CROSS JOIN e
                -- A month still in progress is left out: drawn, it would read as a collapse of sales.
                WHERE NOT (t.month_start = e.end_month AND e.partial)
                GROUP BY t.month_start, category ORDER BY t.month_start, category
                """);

        add("related_products",
                "product pairs bought together most often, with confidence and lift (how much more often than by chance): the stored"
                        + " association rules of the product analysis when it has run, else pairs in the same order",
                List.of(new QueryParameter("product", TEXT, "only pairs with this product (source id)"), LIMIT),
                "product, product_name, related, related_name (text); orders_together (integer); confidence, lift (number)",
                """
                WITH stored AS (SELECT a.antecedent_id AS a_id, a.consequent_id AS b_id, a.baskets_both AS orders_together, a.confidence, a.lift
                                FROM product_affinity a),
                     sale_lines AS (SELECT t.order_id, t.product_id FROM transactions t JOIN products p ON p.id = t.product_id
                                    WHERE t.order_id IS NOT NULL AND p.is_product AND NOT t.is_return
                                      AND NOT EXISTS (SELECT 1 FROM product_affinity)),
                     -- Given a product, only the orders holding it can hold its pairs, and only their products need counts.
                     focus AS (SELECT order_id FROM sale_lines WHERE product_id IN (SELECT id FROM products WHERE source_id = :product)),
                     lines AS (SELECT DISTINCT order_id, product_id FROM sale_lines
                               WHERE :product IS NULL OR order_id IN (SELECT order_id FROM focus)),
                     n AS (SELECT count(DISTINCT order_id) AS orders FROM sale_lines),
                     freq AS (SELECT product_id, count(DISTINCT order_id) AS orders FROM sale_lines
                              WHERE product_id IN (SELECT product_id FROM lines) GROUP BY product_id),
                     computed AS (SELECT a.product_id AS a_id, b.product_id AS b_id, count(*) AS orders_together
                                  FROM lines a JOIN lines b ON a.order_id = b.order_id AND a.product_id < b.product_id
                                  GROUP BY a.product_id, b.product_id),
                     pairs AS (SELECT * FROM stored
                               UNION ALL
                               SELECT c.a_id, c.b_id, c.orders_together, c.orders_together / fa.orders AS confidence,
                                      c.orders_together * n.orders / (fa.orders * fb.orders) AS lift
                               FROM computed c CROSS JOIN n
                               JOIN freq fa ON fa.product_id = c.a_id JOIN freq fb ON fb.product_id = c.b_id)
                SELECT pa.source_id AS product, pa.name AS product_name, pb.source_id AS related, pb.name AS related_name,
                       pairs.orders_together, pairs.confidence, pairs.lift
                FROM pairs JOIN products pa ON pa.id = pairs.a_id JOIN products pb ON pb.id = pairs.b_id
                WHERE :product IS NULL OR :product IN (pa.source_id, pb.source_id)
                ORDER BY pairs.orders_together DESC, pairs.lift DESC, product, related
                LIMIT coalesce(:limit, 20)
                """);

        QueryParameter qualityRun = new QueryParameter("run", INTEGER, "quality run id (default: the latest)");
        add("quality_run",
                "the quality run (latest by default) as one row; no row when no quality check has run",
                List.of(qualityRun),
                "id, checks_run, failures, warnings (integer); score (number); started_at, finished_at (timestamp); window_start, window_end (date)",
                """
                SELECT q.id, q.started_at, q.finished_at, q.window_start, q.window_end, q.score, q.checks_run, q.failures, q.warnings
                FROM quality_runs q WHERE q.id = %s
                """.formatted(QUALITY_RUN));

        add("quality_results",
                "the results of one quality run (latest by default), failures first",
                List.of(qualityRun),
                "check_name, category, severity, status, threshold, message (text); metric (number); offending_rows (integer)",
                """
                SELECT check_name, category, severity, status, metric, threshold, offending_rows, message
                FROM quality_results WHERE run_id = %s
                ORDER BY CASE lower(status) WHEN 'fail' THEN 0 WHEN 'failed' THEN 0 WHEN 'warn' THEN 1 WHEN 'warning' THEN 1 ELSE 2 END,
                         check_name
                """.formatted(QUALITY_RUN));

        add("quality_history",
                "quality scores of past runs, oldest first",
                List.of(LIMIT),
                "id, failures, warnings (integer); started_at (timestamp); label (text, yyyy-MM-dd); score (number)",
                """
                SELECT * FROM (SELECT id, started_at, strftime(started_at, '%Y-%m-%d') AS label, score, failures, warnings FROM quality_runs
                               ORDER BY started_at DESC, id DESC LIMIT coalesce(:limit, 50))
                ORDER BY started_at, id
                """);

        add("model_runs",
                "fitted models, newest first",
                List.of(new QueryParameter("model", TEXT, "only this model (case-insensitive)"), LIMIT),
                "id, customers, iterations (integer); model, time_unit, parameters_json, warning, choice (text); fitted_at (timestamp);"
                        + " calibration_start, calibration_end, holdout_end (date); log_likelihood, penalizer (number); converged (boolean)",
                """
                SELECT id, model, fitted_at, calibration_start, calibration_end, holdout_end, time_unit, customers,
                       log_likelihood, converged, iterations, penalizer, parameters_json, warning, choice
                FROM model_runs WHERE :model IS NULL OR lower(model) = lower(:model)
                ORDER BY fitted_at DESC, id DESC
                LIMIT coalesce(:limit, %s)
                """.formatted(NO_LIMIT));

        add("model_parameters",
                "the fitted parameters of model runs as rows (from model_runs.parameters_json), newest run first, each run's"
                        + " parameters in the model's order",
                List.of(new QueryParameter("run", INTEGER, "only this model run"), LIMIT),
                "run_id (integer); model, parameter (text); value, standard_error, lower_95, upper_95 (number; empty where the fit"
                        + " gives none); interval_95 (text, \"lower to upper\" to 4 decimals)",
                """
                WITH runs AS (SELECT id, model, fitted_at, CAST(parameters_json AS JSON) AS j FROM model_runs
                              WHERE parameters_json IS NOT NULL AND (:run IS NULL OR id = :run)
                              ORDER BY fitted_at DESC, id DESC LIMIT coalesce(:limit, %s)),
                     keyed AS (SELECT id, model, fitted_at, j, unnest(json_keys(j)) AS parameter,
                                      unnest(range(len(json_keys(j)))) AS ord FROM runs)
                SELECT id AS run_id, model, parameter,
                       TRY_CAST(j -> parameter ->> 'value' AS DOUBLE) AS value,
                       TRY_CAST(j -> parameter ->> 'standard_error' AS DOUBLE) AS standard_error,
                       TRY_CAST(j -> parameter ->> 'lower_95' AS DOUBLE) AS lower_95,
                       TRY_CAST(j -> parameter ->> 'upper_95' AS DOUBLE) AS upper_95,
                       printf('%%.4f to %%.4f', lower_95, upper_95) AS interval_95
                FROM keyed ORDER BY fitted_at DESC, id DESC, ord
                """.formatted(NO_LIMIT));

        QueryParameter diagnosticsRun = new QueryParameter("run", INTEGER, "model run id (default: the latest run with this diagnostic)");
        add("calibration_holdout",
                "calibration vs holdout of a purchase model run: mean expected and actual holdout purchases of customers by their"
                        + " repeat purchases in the calibration period",
                List.of(diagnosticsRun),
                "run_id, frequency, customers (integer); expected_purchases, actual_purchases (number)",
                """
                SELECT run_id, frequency, customers, expected_purchases, actual_purchases FROM model_run_holdout
                WHERE run_id = coalesce(:run, (SELECT h.run_id FROM model_run_holdout h JOIN model_runs m ON m.id = h.run_id
                                               ORDER BY m.fitted_at DESC, m.id DESC LIMIT 1))
                ORDER BY frequency
                """);

        add("tracking",
                "tracking of a purchase model run: repeat purchases of all customers per period, actual vs expected, also cumulative",
                List.of(diagnosticsRun),
                "run_id, period (integer); period_start (date); in_holdout (boolean); actual, expected, cumulative_actual, cumulative_expected (number)",
                """
                SELECT run_id, period, period_start, in_holdout, actual, expected, cumulative_actual, cumulative_expected FROM model_run_tracking
                WHERE run_id = coalesce(:run, (SELECT t.run_id FROM model_run_tracking t JOIN model_runs m ON m.id = t.run_id
                                               ORDER BY m.fitted_at DESC, m.id DESC LIMIT 1))
                ORDER BY period
                """);

        add("lifecycle_history",
                "lifecycle stage changes of products, newest first",
                List.of(new QueryParameter("product", TEXT, "only this product (source id)"), LIMIT),
                "product, name, stage (text); entered_on (date); confidence (number); computed_at (timestamp)",
                """
                SELECT p.source_id AS product, p.name, h.stage, h.entered_on, h.confidence, h.computed_at
                FROM product_stage_history h JOIN products p ON p.id = h.product_id
                WHERE :product IS NULL OR p.source_id = :product
                ORDER BY h.entered_on DESC, p.source_id
                LIMIT coalesce(:limit, %s)
                """.formatted(NO_LIMIT));
    }

    private NamedQueries() {}

    private static void add(String name, String description, List<QueryParameter> parameters, String columns, String sql) {
        QUERIES.put(name, new NamedQuery(name, description, parameters, columns, sql));
    }

    /** The query called {@code name}. */
    public static Optional<NamedQuery> find(String name) {
        return Optional.ofNullable(QUERIES.get(name));
    }

    /** Every query, in reference order. */
    public static Collection<NamedQuery> all() {
        return Collections.unmodifiableCollection(QUERIES.values());
    }
}
