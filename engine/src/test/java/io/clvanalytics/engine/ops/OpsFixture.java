package io.clvanalytics.engine.ops;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.generate.DemoDataGenerator;
import io.clvanalytics.engine.generate.GeneratorConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Small generated stores and the figures a user compares before and after an operation. */
final class OpsFixture {

    static final String TX_CHECKSUM = "SELECT count(*) || ':' || sum(hash(id, customer_id, product_id, order_id, date, ts,"
            + " quantity, unit_price, amount, is_return)) FROM ";

    private OpsFixture() {}

    /** A store with 1,000 generated customers (about 10,000 transactions), 2021 to 2025. */
    static Path generated(Path file) {
        return generated(file, 1000);
    }

    /** A store with {@code customers} generated customers (about ten transactions each), 2021 to 2025. */
    static Path generated(Path file, int customers) {
        try (Engine engine = Engine.open(file)) {
            DemoDataGenerator.generate(engine, GeneratorConfig.defaults(customers, 17).withProducts(30),
                    DemoDataGenerator.ProgressListener.NONE, 2);
        }
        return file;
    }

    static String text(Engine engine, String sql) throws SQLException {
        try (Connection c = engine.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static String text(Path store, String sql) throws SQLException {
        try (Engine engine = Engine.open(store)) {
            return text(engine, sql);
        }
    }

    /** Row counts and checksums of the whole store (what a user would compare to call it unchanged). */
    static String fingerprint(Path store) throws SQLException {
        try (Engine engine = Engine.open(store); Connection c = engine.connect()) {
            return TableSums.of(c, text(engine, "SELECT current_database()")).tables().toString();
        }
    }
}
