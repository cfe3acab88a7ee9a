package io.clvanalytics.engine.lifecycle;

import io.clvanalytics.engine.Engine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;

/** Small stores built with plain SQL for the product analytics tests. */
final class Fixtures {

    private Fixtures() {}

    static void sql(Engine engine, String... statements) {
        try (Connection c = engine.connect(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A product with surrogate id {@code id} and code {@code code}. */
    static void product(Engine engine, long id, String code, boolean isProduct) {
        try (Connection c = engine.connect();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO products (id, source_id, name, is_product) VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, id);
            ps.setString(2, code);
            ps.setString(3, "name of " + code);
            ps.setBoolean(4, isProduct);
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code lines} sale lines of one unit at {@code price} for product {@code productId} in the
     * month starting {@code month}, each its own order, customers cycling through 1..{@code customers}.
     */
    static void monthlySales(Engine engine, long productId, LocalDate month, int lines, double price, int customers) {
        if (lines == 0) {
            return;
        }
        try (Connection c = engine.connect(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO transactions (id, customer_id, product_id, order_id, date, quantity, unit_price, amount, is_return, batch_id)
                SELECT (SELECT coalesce(max(id), 0) FROM transactions) + i, 1 + (i % ?), ?, 'o' || ? || '-' || ?::VARCHAR || '-' || i,
                       ?::DATE + (i % 28)::INTEGER, 1, ?, ?, false, 1
                FROM range(?) r(i)
                """)) {
            ps.setInt(1, customers);
            ps.setLong(2, productId);
            ps.setLong(3, productId);
            ps.setObject(4, month);
            ps.setObject(5, month);
            ps.setDouble(6, price);
            ps.setDouble(7, price);
            ps.setInt(8, lines);
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
