package io.clvanalytics.engine.quality;

import static io.clvanalytics.engine.quality.Category.COMPLETENESS;
import static io.clvanalytics.engine.quality.Category.CONSISTENCY;
import static io.clvanalytics.engine.quality.Category.REFERENTIAL_INTEGRITY;
import static io.clvanalytics.engine.quality.Category.SOURCE;
import static io.clvanalytics.engine.quality.Category.UNIQUENESS;
import static io.clvanalytics.engine.quality.Category.VALIDITY;
import static io.clvanalytics.engine.quality.Severity.HIGH;
import static io.clvanalytics.engine.quality.Severity.LOW;
import static io.clvanalytics.engine.quality.Severity.MEDIUM;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The standard catalogue of checks. Checks on transactions read the window view {@code q_tx};
 * checks about the relation between tables (orphans, customers' derived columns) read whole
 * tables, because a window would make them report false problems.
 */
public final class Catalogue {

    private static final String TX = CheckContext.TX;

    private static final List<QualityCheck> STANDARD = List.of(
            // completeness
            RowRule.named("completeness.transactions").is(COMPLETENESS, HIGH)
                    // a line without a customer is a guest purchase (clv import --missing-customer guest), not a gap
                    .description("transactions without a date or an amount")
                    .offendingWhen("t.date IS NULL OR t.amount IS NULL")
                    .thresholds(Thresholds.failAbove(0)).build(),
            RowRule.named("completeness.transaction_details").is(COMPLETENESS, MEDIUM).asPercent()
                    .description("transactions missing a product, order id, quantity or unit price that the store fills for other rows")
                    .offendingWhen(missing("product_id") + " OR " + missingText("order_id") + " OR "
                            + missing("quantity") + " OR " + missing("unit_price"))
                    .alsoCount("product_id missing", missing("product_id"))
                    .alsoCount("order_id missing", missingText("order_id"))
                    .alsoCount("quantity missing", missing("quantity"))
                    .alsoCount("unit_price missing", missing("unit_price"))
                    .thresholds(Thresholds.of(0, 1)).build(),
            SetCheck.named("completeness.customers").is(COMPLETENESS, HIGH)
                    .description("customers without their source id")
                    .offending("SELECT id AS customer_id, source_id FROM customers WHERE source_id IS NULL OR trim(source_id) = ''")
                    .counting("customers").thresholds(Thresholds.failAbove(0)).build(),
            SetCheck.named("completeness.products").is(COMPLETENESS, LOW)
                    .description("products without a source code or a name")
                    .offending("SELECT id AS product_id, source_id, name FROM products"
                            + " WHERE source_id IS NULL OR trim(source_id) = '' OR name IS NULL OR trim(name) = ''")
                    .percentOf("SELECT count(*) FROM products").counting("products")
                    .thresholds(Thresholds.of(0, 10)).build(),

            // uniqueness
            SetCheck.named("uniqueness.transaction_id").is(UNIQUENESS, HIGH)
                    .description("transaction ids used by more than one row")
                    .offending("SELECT id AS transaction_id, count(*) AS copies FROM " + TX + " GROUP BY id HAVING count(*) > 1")
                    .unlessZero("SELECT count(*) - count(DISTINCT id) FROM " + TX)
                    .countedAs("sum(copies - 1)").orderBy("transaction_id")
                    .thresholds(Thresholds.failAbove(0)).build(),
            SetCheck.named("uniqueness.duplicate_lines").is(UNIQUENESS, HIGH)
                    .description("duplicate transactions: same customer, product, time, order line, quantity, price and amount"
                            + " (offending rows are the extra copies)")
                    .offending(withCustomerIds("SELECT customer_id, product_id, coalesce(ts, CAST(date AS TIMESTAMP)) AS at, order_id,"
                            + " quantity, unit_price, amount, count(*) AS copies, min(id) AS first_id, max(id) AS last_id"
                            + " FROM " + TX + " GROUP BY ALL HAVING count(*) > 1"))
                    .countedAs("sum(copies - 1)").orderBy("first_id")
                    // A ratio as deequ's uniqueness: big honest stores hold a few coincidental twins
                    // (one order, the same product twice at the same price), so warn at any, fail at 1 in 10,000.
                    .percentOf("SELECT count(*) FROM " + TX)
                    .thresholds(Thresholds.of(0, 0.01)).build(),

            // validity
            RowRule.named("validity.future_date").is(VALIDITY, HIGH)
                    .hard("CASE WHEN t.date > :today THEN 'date' ELSE 'ts' END", "coalesce(CAST(t.ts AS VARCHAR), CAST(t.date AS VARCHAR))")
                    .description("transactions dated after today (engine clock)")
                    .offendingWhen("t.date > :today OR CAST(t.ts AS DATE) > :today")
                    .thresholds(Thresholds.failAbove(0)).build(),
            RowRule.named("validity.date_before_start").is(VALIDITY, HIGH).hard("'date'", "CAST(t.date AS VARCHAR)")
                    .description("transactions dated before the plausible start of the data (parameter earliest)")
                    .offendingWhen("t.date < :earliest").param("earliest", LocalDate.of(1990, 1, 1))
                    .thresholds(Thresholds.failAbove(0)).build(),
            RowRule.named("validity.amount_range").is(VALIDITY, HIGH)
                    .hard("CASE WHEN abs(t.amount) > :max_amount THEN 'amount' ELSE 'quantity' END",
                            "CAST(CASE WHEN abs(t.amount) > :max_amount THEN t.amount ELSE t.quantity END AS VARCHAR)")
                    .description("amounts or quantities out of range: |amount| > max_amount, |quantity| > max_quantity, quantity 0")
                    .offendingWhen("abs(t.amount) > :max_amount OR abs(t.quantity) > :max_quantity OR t.quantity = 0")
                    .param("max_amount", 1_000_000.0).param("max_quantity", 100_000.0)
                    .thresholds(Thresholds.failAbove(0)).build(),
            RowRule.named("validity.unit_price").is(VALIDITY, MEDIUM).asPercent()
                    .description("zero or negative unit prices")
                    .offendingWhen("t.unit_price <= 0")
                    .alsoCount("zero", "t.unit_price = 0").alsoCount("negative", "t.unit_price < 0")
                    .breakdownBy("p.source_id")
                    .thresholds(Thresholds.of(0, 1)).build(),
            RowRule.named("validity.return_sign").is(VALIDITY, HIGH)
                    .hard("'is_return'", "'is_return ' || CAST(t.is_return AS VARCHAR) || ', quantity ' || coalesce(CAST(t.quantity AS VARCHAR), '')"
                            + " || ', amount ' || CAST(t.amount AS VARCHAR)")
                    .description("returns with a positive amount or quantity, purchases with a negative one")
                    // A negative unit price (a credit such as Online Retail's "Adjust bad debt") makes the signs
                    // differ by construction: validity.unit_price reports it, this rule judges the other lines.
                    .offendingWhen("coalesce(t.unit_price >= 0, true) AND ((t.is_return AND (t.amount > 0 OR t.quantity > 0))"
                            + " OR (NOT t.is_return AND (t.amount < 0 OR t.quantity < 0)))")
                    .thresholds(Thresholds.failAbove(0)).build(),
            RowRule.named("validity.currency").is(VALIDITY, LOW).asPercent()
                    .description("currency codes that are not ISO 4217 (where a currency is given)")
                    .offendingWhen("trim(t.currency) <> '' AND upper(trim(t.currency)) NOT IN (SELECT code FROM "
                            + Reference.CURRENCIES + ")")
                    .breakdownBy("t.currency")
                    .thresholds(Thresholds.of(0, 5)).build(),
            RowRule.named("validity.country").is(VALIDITY, LOW).asPercent()
                    .description("countries that are neither an ISO 3166 code nor an English country name (where given)")
                    .offendingWhen("trim(t.country) <> '' AND upper(trim(t.country)) NOT IN (SELECT name FROM "
                            + Reference.COUNTRIES + ")")
                    .breakdownBy("t.country")
                    .thresholds(Thresholds.of(0, 5)).build(),

            // referential integrity
            SetCheck.named("referential.transaction_customer").is(REFERENTIAL_INTEGRITY, HIGH)
                    .description("transactions whose customer is not in the customers table")
                    .offending("SELECT t.id AS transaction_id, t.customer_id, t.order_id, t.date, t.amount FROM " + TX
                            + " t WHERE t.customer_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.id = t.customer_id)")
                    .orderBy("transaction_id").thresholds(Thresholds.failAbove(0)).build(),
            SetCheck.named("referential.transaction_product").is(REFERENTIAL_INTEGRITY, HIGH)
                    .description("transactions whose product is not in the products table")
                    .offending("SELECT t.id AS transaction_id, t.product_id, t.order_id, t.date, t.amount FROM " + TX
                            + " t WHERE t.product_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM products p WHERE p.id = t.product_id)")
                    .orderBy("transaction_id").thresholds(Thresholds.failAbove(0)).build(),
            SetCheck.named("referential.customer_without_transactions").is(REFERENTIAL_INTEGRITY, MEDIUM)
                    .description("customers with no transaction at all")
                    .offending("SELECT c.id AS customer_id, c.source_id FROM customers c"
                            + " WHERE NOT EXISTS (SELECT 1 FROM transactions t WHERE t.customer_id = c.id)")
                    .percentOf("SELECT count(*) FROM customers").counting("customers").orderBy("customer_id")
                    .thresholds(Thresholds.of(0, 5)).build(),
            SetCheck.named("referential.product_never_sold").is(REFERENTIAL_INTEGRITY, LOW)
                    .description("products (not fees or adjustments) that were never sold")
                    .offending("SELECT p.id AS product_id, p.source_id, p.name FROM products p WHERE p.is_product"
                            + " AND NOT EXISTS (SELECT 1 FROM transactions t WHERE t.product_id = p.id AND NOT t.is_return)")
                    .percentOf("SELECT count(*) FROM products WHERE is_product").counting("products").orderBy("product_id")
                    .thresholds(Thresholds.warnAbove(25)).build(),

            // consistency
            SetCheck.named("consistency.customer_last_transaction").is(CONSISTENCY, MEDIUM)
                    .description("customers whose last_transaction_date is neither their newest purchase nor their newest"
                            + " transaction (returns included)")
                    .offending("SELECT c.id AS customer_id, c.source_id, c.last_transaction_date, x.newest_purchase,"
                            + " x.newest_transaction FROM customers c LEFT JOIN (SELECT customer_id,"
                            + " max(date) FILTER (WHERE NOT is_return) AS newest_purchase, max(date) AS newest_transaction"
                            + " FROM transactions GROUP BY 1) x ON x.customer_id = c.id"
                            + " WHERE c.last_transaction_date IS DISTINCT FROM x.newest_purchase"
                            + " AND c.last_transaction_date IS DISTINCT FROM x.newest_transaction")
                    .counting("customers").orderBy("customer_id").thresholds(Thresholds.failAbove(0)).build(),
            SetCheck.named("consistency.customer_status").is(CONSISTENCY, MEDIUM)
                    .description("customers marked active/new with no purchase in inactive_days before the newest transaction,"
                            + " or marked churned/lost/inactive with a purchase in the last recent_days")
                    .offending("WITH last AS (SELECT customer_id, max(date) AS newest FROM transactions WHERE NOT is_return GROUP BY 1),"
                            + " store AS (SELECT max(date) AS newest FROM transactions WHERE date <= :today)"
                            + " SELECT c.id AS customer_id, c.source_id, c.status, l.newest AS last_purchase FROM customers c"
                            + " LEFT JOIN last l ON l.customer_id = c.id, store s"
                            + " WHERE (lower(c.status) IN ('active', 'new')"
                            + "        AND (l.newest IS NULL OR l.newest < s.newest - CAST(:inactive_days AS INTEGER)))"
                            + "    OR (lower(c.status) IN ('churned', 'lost', 'inactive')"
                            + "        AND l.newest >= s.newest - CAST(:recent_days AS INTEGER))")
                    .param("inactive_days", 365.0).param("recent_days", 30.0)
                    .counting("customers").orderBy("customer_id").thresholds(Thresholds.failAbove(0)).build(),
            SetCheck.named("consistency.customer_clv").is(CONSISTENCY, MEDIUM)
                    .description("customers whose clv differs from the latest model run's score (when a run exists)")
                    .offending("WITH latest AS (SELECT run_id FROM customer_scores ORDER BY scored_at DESC, run_id DESC LIMIT 1)"
                            + " SELECT c.id AS customer_id, c.source_id, c.clv, s.clv AS latest_score, s.run_id FROM customers c"
                            + " JOIN customer_scores s ON s.customer_id = c.id JOIN latest l ON s.run_id = l.run_id"
                            + " WHERE c.clv IS NULL OR abs(c.clv - s.clv) > :tolerance + 1e-9 * abs(s.clv)")
                    .param("tolerance", 0.005)
                    .counting("customers").orderBy("customer_id").thresholds(Thresholds.failAbove(0)).build(),
            RowRule.named("consistency.line_totals").is(CONSISTENCY, MEDIUM)
                    .description("lines whose amount is not quantity × unit price (to the cent or 0.5 %)")
                    .offendingWhen("abs(t.amount - t.quantity * t.unit_price) > greatest(0.01, 0.005 * abs(t.amount))")
                    .thresholds(Thresholds.failAbove(0)).build(),
            SetCheck.named("consistency.order_customer").is(CONSISTENCY, MEDIUM)
                    .description("orders whose lines belong to more than one customer")
                    .offending("SELECT o.order_id, a.source_id AS a_customer, b.source_id AS another_customer, o.lines FROM"
                            + " (SELECT order_id, min(customer_id) AS a_id, max(customer_id) AS another_id, count(*) AS lines"
                            + " FROM " + TX + " WHERE order_id IS NOT NULL GROUP BY order_id HAVING min(customer_id) <> max(customer_id)) o"
                            + " LEFT JOIN customers a ON a.id = o.a_id LEFT JOIN customers b ON b.id = o.another_id")
                    .counting("orders").orderBy("order_id").thresholds(Thresholds.failAbove(0)).build(),
            SetCheck.named("consistency.returns_exceed_purchases").is(CONSISTENCY, MEDIUM)
                    .description("customer and product pairs whose returned quantity exceeds the purchased quantity")
                    .offending(withCustomerIds("SELECT customer_id, product_id, sum(coalesce(quantity, 1)) FILTER (WHERE NOT is_return)"
                            + " AS purchased, -sum(coalesce(quantity, -1)) FILTER (WHERE is_return) AS returned FROM transactions"
                            // only the pairs with a return: a small set joined to the lines, not a GROUP BY of all
                            + " JOIN (SELECT DISTINCT customer_id, product_id FROM transactions WHERE is_return"
                            + " AND product_id IS NOT NULL) r USING (customer_id, product_id) GROUP BY 1, 2"
                            + " HAVING -sum(coalesce(quantity, -1)) FILTER (WHERE is_return) > coalesce(sum(coalesce(quantity, 1)) FILTER (WHERE NOT is_return), 0)"))
                    .counting("customer-product pairs").orderBy("customer_id, product_id")
                    .thresholds(Thresholds.failAbove(0)).build(),

            // freshness, volume, distribution
            new FreshnessCheck(),
            new AnomalyCheck("volume.daily_rows", Category.VOLUME, AnomalyCheck.Series.DAILY_ROWS,
                    "days whose number of transactions is far outside the recent range (median ± k·MAD)"),
            new AnomalyCheck("volume.daily_revenue", Category.VOLUME, AnomalyCheck.Series.DAILY_REVENUE,
                    "days whose revenue (purchases) is far outside the recent range (median ± k·MAD)"),
            new AnomalyCheck("distribution.return_share", Category.DISTRIBUTION, AnomalyCheck.Series.WEEKLY_RETURN_SHARE,
                    "weeks whose share of returns shifts far from the recent weeks"),
            new AnomalyCheck("distribution.missing_id_share", Category.DISTRIBUTION, AnomalyCheck.Series.WEEKLY_MISSING_ID_SHARE,
                    "weeks whose share of rows missing a product or order id shifts far from the recent weeks"),

            // problems typical of shop exports
            RowRule.named("source.returns").is(SOURCE, LOW).asPercent()
                    .description("returns: cancellation invoices (order id starting with C) and negative quantities, kept and marked")
                    .offendingWhen("t.is_return OR t.quantity < 0 OR t.order_id LIKE 'C%'")
                    .alsoCount("cancellation lines", "t.order_id LIKE 'C%'")
                    .alsoCount("negative quantities", "t.quantity < 0")
                    .thresholds(Thresholds.warnAbove(25)).build(),
            RowRule.named("source.non_product_lines").is(SOURCE, LOW)
                    .description("lines on non-product codes (postage, fees, discounts, manual adjustments: products.is_product false)")
                    .offendingWhen("t.product_id IN (SELECT id FROM products WHERE NOT is_product)")
                    .breakdownBy("p.source_id")
                    .thresholds(Thresholds.warnAbove(0)).build(),
            new ImportRejectsCheck());

    private Catalogue() {}

    /** Every standard check, in report order. */
    public static List<QualityCheck> standard() {
        return STANDARD;
    }

    /** The standard check called {@code name}. */
    public static Optional<QualityCheck> find(String name) {
        return STANDARD.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** Null on a row although some row of the store has the column filled. */
    /**
     * {@code offending} (rows with {@code customer_id} and {@code product_id}, internal ids) with the ids the data gave
     * them first: {@code customer} and {@code product} (their source ids), as the row rules' samples show them.
     */
    private static String withCustomerIds(String offending) {
        return "SELECT c.source_id AS customer, p.source_id AS product, o.* FROM (" + offending + ") o"
                + " LEFT JOIN customers c ON c.id = o.customer_id LEFT JOIN products p ON p.id = o.product_id";
    }

    private static String missing(String column) {
        return "(t." + column + " IS NULL AND EXISTS (SELECT 1 FROM transactions WHERE " + column + " IS NOT NULL))";
    }

    private static String missingText(String column) {
        return "((t." + column + " IS NULL OR trim(t." + column + ") = '')"
                + " AND EXISTS (SELECT 1 FROM transactions WHERE trim(" + column + ") <> ''))";
    }
}
