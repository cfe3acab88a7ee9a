package io.clvanalytics.engine.ingest;

/**
 * One bad row of an import: where it is and the rule it broke (the first one, when it broke several).
 *
 * @param line   the row's line in the file (header = line 1), the Excel row number for XLSX
 * @param column the file's column at fault, empty when the row as a whole is at fault
 * @param rule   the rule broken, such as {@code date not in format %Y-%m-%d}
 * @param value  the offending value as written, null when it was empty
 */
public record ImportProblem(long line, String column, String rule, String value) {}
