package io.clvanalytics.engine;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A fingerprint of everything the analytics read, for caches: it changes whenever an import, a
 * model fit, a scoring, a retention run, a product analysis, a quality run or an archive commits,
 * whoever ran it (the server, a schedule or the CLI while the server was stopped). It is read from
 * the run tables themselves (newest ids, row counts, newest timestamps), so no writer has to
 * remember to bump a counter. Cheap: DuckDB answers it from a few column scans of small tables and
 * the row counts of the large ones.
 */
public final class DataVersion {

    private static final String FINGERPRINT = """
            SELECT concat_ws(':',
                (SELECT count(*) || '.' || coalesce(max(id), 0) || '.' || coalesce(CAST(max(finished_at) AS VARCHAR), '') FROM import_batches),
                (SELECT count(*) FROM customers), (SELECT count(*) FROM products), (SELECT count(*) FROM transactions),
                (SELECT count(*) || '.' || coalesce(max(id), 0) FROM model_runs),
                (SELECT count(*) || '.' || coalesce(CAST(max(scored_at) AS VARCHAR), '') FROM customer_scores),
                (SELECT count(*) || '.' || coalesce(max(id), 0) || '.' || coalesce(CAST(max(finished_at) AS VARCHAR), '') FROM retention_runs),
                (SELECT count(*) FROM retention_scores),
                (SELECT count(*) || '.' || coalesce(max(id), 0) FROM product_analysis_runs),
                (SELECT count(*) || '.' || coalesce(CAST(max(computed_at) AS VARCHAR), '') FROM product_lifecycle),
                (SELECT count(*) FROM product_stage_history), (SELECT count(*) FROM product_affinity),
                (SELECT count(*) || '.' || coalesce(max(id), 0) FROM quality_runs),
                (SELECT count(*) || '.' || coalesce(max(id), 0) FROM archives),
                (SELECT coalesce(CAST(max(updated_at) AS VARCHAR), '') FROM store_meta))
            """;

    /**
     * Every insert into or delete from {@code transactions} changes it: an insert changes the row count or the
     * largest id, a delete the count or the sum of ids, and every import and archive adds a row to
     * {@code import_batches} or {@code archives} (so a delete and an insert of as many rows with the same ids
     * in one import is seen too). No code updates a transaction row in place.
     */
    private static final String TRANSACTIONS = """
            SELECT concat_ws(':',
                (SELECT count(*) || '.' || coalesce(max(id), 0) || '.' || coalesce(sum(id), 0) FROM transactions),
                (SELECT count(*) || '.' || coalesce(max(id), 0) FROM import_batches),
                (SELECT count(*) || '.' || coalesce(max(id), 0) FROM archives))
            """;

    private DataVersion() {}

    /**
     * A fingerprint of the {@code transactions} table alone (what the RFM summary reads), for caches of
     * what is computed from it: any import, archive or delete of transactions changes it; model runs,
     * scorings and other analyses do not. Cheap: three column scans of {@code transactions.id}.
     */
    public static String transactions(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(TRANSACTIONS)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The current fingerprint of the store on {@code connection}; equal strings mean the same data. */
    public static String read(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(FINGERPRINT)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** The current fingerprint of {@code engine}'s store. */
    public static String of(Engine engine) {
        try (Connection c = engine.connect()) {
            return read(c);
        } catch (SQLException e) {
            throw new StoreException("cannot read the data version of " + engine.file() + ": " + e.getMessage(), e);
        }
    }
}
