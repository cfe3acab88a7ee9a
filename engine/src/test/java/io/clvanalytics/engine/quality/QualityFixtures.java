package io.clvanalytics.engine.quality;

import io.clvanalytics.engine.Engine;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * A small clean store built with plain SQL (300 customers, 40 products, ~8,000 lines over 181
 * days, returns that follow purchases), and the faults the tests inject into it. Today is
 * {@link #TODAY} by a fixed clock.
 */
final class QualityFixtures {

    static final LocalDate TODAY = LocalDate.of(2026, 11, 26);
    static final Clock CLOCK = Clock.fixed(TODAY.atTime(12, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
    /** The day that gets ten times its volume. */
    static final LocalDate SPIKE_DAY = LocalDate.of(2026, 10, 14);

    private QualityFixtures() {}

    /** Fills an empty store with clean data: every check passes. */
    static void clean(Engine engine) {
        exec(engine, """
                INSERT INTO products SELECT range, 'P' || range, 'Product ' || range, 'Cat ' || (range % 5), NULL, TRUE, NULL, NULL, 1
                FROM range(1, 41);
                INSERT INTO customers (id, source_id, name, country, segment, status, acquisition_date, last_transaction_date, clv, batch_id)
                SELECT range, 'C' || range, 'Customer ' || range, 'United Kingdom', NULL, NULL, NULL, NULL, NULL, 1
                FROM range(1, 301);
                CREATE TEMP TABLE lines AS
                SELECT d, k, hash(d * 1000 + k) AS h FROM range(0, 181) r(d), range(0, 60) s(k)
                WHERE k < 40 + (hash(d) % 10);
                INSERT INTO transactions
                SELECT row_number() OVER (ORDER BY d, k), (h % 300) + 1, ((h >> 12) % 40) + 1,
                       'O' || d || '-' || ((h % 300) + 1), DATE '2026-05-29' + CAST(d AS INTEGER),
                       (DATE '2026-05-29' + CAST(d AS INTEGER)) + INTERVAL 9 HOUR + to_minutes(CAST(k AS BIGINT)),
                       1 + ((h >> 20) % 5), 1.5 + ((h >> 24) % 20), (1 + ((h >> 20) % 5)) * (1.5 + ((h >> 24) % 20)),
                       'GBP', 'United Kingdom', FALSE, 1, NULL
                FROM lines;
                INSERT INTO transactions
                SELECT 100000 + id, customer_id, product_id, 'R' || id, date + 3, ts + INTERVAL 3 DAY, -quantity, unit_price, -amount,
                       currency, country, TRUE, 1, NULL
                FROM transactions WHERE id % 20 = 0 AND date + 3 < DATE '2026-11-26';
                DELETE FROM customers c WHERE NOT EXISTS (SELECT 1 FROM transactions t WHERE t.customer_id = c.id);
                UPDATE customers SET last_transaction_date = x.newest
                FROM (SELECT customer_id, max(date) AS newest FROM transactions GROUP BY 1) x WHERE x.customer_id = customers.id;
                DROP TABLE lines
                """);
    }

    /** Three purchase lines loaded twice (new ids, same content): ids 900001..900003 copy 10, 20, 30. */
    static void duplicateRows(Engine engine) {
        exec(engine, "INSERT INTO transactions SELECT 900000 + id / 10, customer_id, product_id, order_id, date, ts, quantity,"
                + " unit_price, amount, currency, country, is_return, batch_id, source_line FROM transactions WHERE id IN (10, 20, 30)");
    }

    /** Removes what {@link #duplicateRows} added. */
    static void removeDuplicates(Engine engine) {
        exec(engine, "DELETE FROM transactions WHERE id BETWEEN 900001 AND 900003");
    }

    /** Transactions 910001/910002 for missing customer 999999 and 910003 for missing product 888888. */
    static void orphans(Engine engine) {
        exec(engine, """
                INSERT INTO transactions VALUES
                  (910001, 999999, 1, 'ORPH-1', DATE '2026-09-01', NULL, 1, 10, 10, 'GBP', 'United Kingdom', FALSE, 1, NULL),
                  (910002, 999999, 2, 'ORPH-2', DATE '2026-09-02', NULL, 2, 10, 20, 'GBP', 'United Kingdom', FALSE, 1, NULL),
                  (910003, 1, 888888, 'ORPH-3', DATE '2026-09-03', NULL, 1, 5, 5, 'GBP', 'United Kingdom', FALSE, 1, NULL)
                """);
    }

    /** Transaction 920001 dated ten days after today (its customer's last date follows it, as an importer would set it). */
    static void futureDate(Engine engine) {
        exec(engine, """
                INSERT INTO transactions VALUES
                  (920001, 7, 3, 'FUT-1', DATE '2026-12-06', NULL, 1, 10, 10, 'GBP', 'United Kingdom', FALSE, 1, NULL);
                UPDATE customers SET last_transaction_date = DATE '2026-12-06' WHERE id = 7
                """);
    }

    /** Nine more copies of every purchase on {@link #SPIKE_DAY} as new orders (ids from 1,000,000): ten times the volume. */
    static void tenfoldDay(Engine engine) {
        exec(engine, "INSERT INTO transactions SELECT 1000000 + c.i * 1000 + t.id % 1000, customer_id, product_id,"
                + " 'SPIKE-' || c.i || '-' || t.id, date, ts, quantity, unit_price, amount, currency, country, is_return, batch_id, NULL"
                + " FROM transactions t, range(1, 10) c(i) WHERE t.date = DATE '" + SPIKE_DAY + "' AND NOT t.is_return");
    }

    static void exec(Engine engine, String sql) {
        engine.inTransaction(c -> {
            try (Statement st = c.createStatement()) {
                for (String s : sql.split(";\\s*\\n")) {
                    if (!s.isBlank()) {
                        st.execute(s);
                    }
                }
            }
            return null;
        });
    }

    static long count(Engine engine, String sql) {
        try (var c = engine.connect(); var st = c.createStatement(); var rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
