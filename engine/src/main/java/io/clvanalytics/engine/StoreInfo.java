package io.clvanalytics.engine;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;

/** What a store holds: row counts, the transaction date range and the schema version. */
public record StoreInfo(String file, int schemaVersion, long customers, long products, long transactions,
                        long returns, LocalDate firstDate, LocalDate lastDate, long importBatches) {

    /** Reads the figures from {@code engine}'s store. */
    public static StoreInfo of(Engine engine) {
        try (Connection c = engine.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("""
                     SELECT (SELECT count(*) FROM customers),
                            (SELECT count(*) FROM products),
                            count(*),
                            count(*) FILTER (WHERE is_return),
                            min(date), max(date),
                            (SELECT count(*) FROM import_batches)
                     FROM transactions""")) {
            rs.next();
            return new StoreInfo(engine.file().toString(), engine.schemaVersion(), rs.getLong(1), rs.getLong(2),
                    rs.getLong(3), rs.getLong(4), rs.getObject(5, LocalDate.class), rs.getObject(6, LocalDate.class),
                    rs.getLong(7));
        } catch (SQLException e) {
            throw new StoreException("cannot read " + engine.file() + ": " + e.getMessage(), e);
        }
    }
}
