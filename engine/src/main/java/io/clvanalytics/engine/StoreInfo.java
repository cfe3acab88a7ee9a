package io.clvanalytics.engine;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;

/**
 * What a store holds: row counts, the transaction date range and the schema version.
 *
 * @param transactionsWithoutAmount lines imported from files without amounts (purchase logs of customer and date
 *     only); when it equals {@code transactions} the store has no money figures at all
 */
public record StoreInfo(String file, int schemaVersion, long customers, long products, long transactions,
                        long returns, LocalDate firstDate, LocalDate lastDate, long importBatches,
                        long transactionsWithoutAmount) {

    /** True when no transaction has an amount: spend models and money figures cannot be computed. */
    public boolean hasNoAmounts() {
        return transactions > 0 && transactionsWithoutAmount == transactions;
    }

    /** Reads the figures from {@code engine}'s store. */
    public static StoreInfo of(Engine engine) {
        try (Connection c = engine.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("""
                     SELECT (SELECT count(*) FROM customers),
                            (SELECT count(*) FROM products),
                            count(*),
                            count(*) FILTER (WHERE is_return),
                            min(date), max(date),
                            (SELECT count(*) FROM import_batches),
                            count(*) FILTER (WHERE amount IS NULL)
                     FROM transactions""")) {
            rs.next();
            return new StoreInfo(engine.file().toString(), engine.schemaVersion(), rs.getLong(1), rs.getLong(2),
                    rs.getLong(3), rs.getLong(4), rs.getObject(5, LocalDate.class), rs.getObject(6, LocalDate.class),
                    rs.getLong(7), rs.getLong(8));
        } catch (SQLException e) {
            throw new StoreException("cannot read " + engine.file() + ": " + e.getMessage(), e);
        }
    }
}
