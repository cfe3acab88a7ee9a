package io.clvanalytics.engine.ingest;

import io.clvanalytics.engine.DataValidationException;
import java.util.List;

/**
 * An import under {@link ImportOptions.OnError#FAIL} refused because rows broke the import's rules;
 * nothing was committed. Besides the message and the first problems as text ({@link #problems()}),
 * it carries the bad rows as values, in line order, so a caller can list them all (up to
 * {@link #ROWS_KEPT}; {@link #rowsRejected()} says how many there were).
 */
public final class ImportRefusedException extends DataValidationException {
    private static final long serialVersionUID = 1L;

    /** The most bad rows kept as values: past this the count tells the rest. */
    public static final int ROWS_KEPT = 10_000;

    private final transient List<ImportProblem> rows;
    private final long rowsRead;
    private final long rowsRejected;

    ImportRefusedException(String message, List<String> problems, List<ImportProblem> rows, long rowsRead, long rowsRejected) {
        super(message, problems);
        this.rows = List.copyOf(rows);
        this.rowsRead = rowsRead;
        this.rowsRejected = rowsRejected;
    }

    /** The bad rows in line order, at most {@link #ROWS_KEPT}. */
    public List<ImportProblem> rows() {
        return rows;
    }

    /** The rows the file holds (malformed lines included). */
    public long rowsRead() {
        return rowsRead;
    }

    /** How many rows broke a rule (may exceed {@code rows().size()}). */
    public long rowsRejected() {
        return rowsRejected;
    }
}
