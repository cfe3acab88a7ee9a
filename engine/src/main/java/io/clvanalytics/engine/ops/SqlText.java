package io.clvanalytics.engine.ops;

import io.clvanalytics.engine.DataValidationException;
import java.nio.file.Path;

/**
 * DuckDB cannot take a file path as a bound parameter in ATTACH, COPY ... TO or a view's read_parquet,
 * so paths become SQL string literals here, and only here: the path is made absolute, refused if it
 * holds control characters, and its quotes are doubled. Table names come from the catalog, never from input.
 */
final class SqlText {

    private SqlText() {}

    /** {@code path} as a quoted SQL string literal; {@code option} names the flag it came from. */
    static String pathLiteral(Path path, String option) {
        String s = path.toAbsolutePath().normalize().toString();
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                throw new DataValidationException(option + ": the path must not contain control characters (" + s.replace("\n", "\\n") + ")");
            }
        }
        return "'" + s.replace("'", "''") + "'";
    }

    /** A catalog name (table, database) as a quoted identifier. */
    static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
