package io.clvanalytics.engine.ingest;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * A check run on a validated import batch inside the import transaction, before it is
 * committed. Any problem it returns refuses the whole batch: the import rolls back and the
 * store is left exactly as it was (the command exits with code 2 and lists the problems).
 *
 * <p>The batch is the table named {@code stagedTable}, visible on {@code connection} only,
 * holding exactly the rows about to be committed (rows rejected by the importer's own rules are
 * not in it). Its columns:
 * <pre>
 *   source_file        VARCHAR         the file name as given to the import
 *   source_line        BIGINT          line of the row in that file (header = line 1), Excel row number for XLSX
 *   customer_source_id VARCHAR         the customer id as written in the file, null only for guest lines (--missing-customer guest)
 *   customer_name      VARCHAR
 *   product_source_id  VARCHAR         null when the file has no product column
 *   product_name       VARCHAR
 *   category           VARCHAR
 *   subcategory        VARCHAR
 *   order_id           VARCHAR
 *   date               DATE            never null, never after the engine clock's today
 *   ts                 TIMESTAMP       null when the file holds dates only
 *   quantity           DOUBLE          null when the file has no quantity column
 *   unit_price         DECIMAL(18,4)
 *   amount             DECIMAL(18,4)   signed (returns are negative); null only when the file has no amounts
 *                                      (neither an amount column nor quantity and unit price)
 *   country            VARCHAR
 *   currency           VARCHAR
 *   is_return          BOOLEAN         negative quantity or amount, or a cancellation invoice
 * </pre>
 * The check may read any store table through {@code connection} (for example the history in
 * {@code transactions}) but must not write, commit or roll back, and must not close the
 * connection. Implementations use set-based SQL: the batch may hold millions of rows.
 */
@FunctionalInterface
public interface StagedBatchCheck {

    /**
     * The problems that refuse this batch, each naming what is wrong as
     * {@code file:line:column: rule (value)} where a row is at fault, or a sentence naming the
     * rule for a batch-level problem. Empty when the batch may be committed.
     */
    List<String> check(Connection connection, String stagedTable) throws SQLException;

    /**
     * For an import that skips bad rows ({@code --on-error skip}): inserts each row of the batch that this check
     * would refuse into the temporary table {@code rejectsTable} ({@code source_line BIGINT, col VARCHAR, rule
     * VARCHAR, val VARCHAR}: the row's line, the column at fault, the rule's name, the value as text), and returns
     * true; the importer then rejects those rows like any other bad row and commits the rest. Returns false, writing
     * nothing, when the check judges the batch as a whole and cannot name single rows: its problems then refuse the
     * batch as under {@code --on-error fail}. Same limits as {@link #check}: read only, set-based.
     */
    default boolean rejectRows(Connection connection, String stagedTable, String rejectsTable) throws SQLException {
        return false;
    }

    /** A short name shown with the problems, such as {@code amount-outliers}. */
    default String name() {
        return getClass().getSimpleName();
    }
}
