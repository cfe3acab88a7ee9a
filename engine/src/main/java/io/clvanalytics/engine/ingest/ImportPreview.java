package io.clvanalytics.engine.ingest;

import java.util.List;
import java.util.Map;

/**
 * What an import would read from a file, without importing it ({@link Importer#preview}): the layout
 * the import detects (or was told), the columns each field is mapped from, the date format and the
 * first rows as text, exactly as the import itself would see them.
 *
 * @param format      the layout in words, such as {@code csv, delimiter ',', header} or {@code parquet}
 * @param columns     the file's column names (or 1-based positions when it has no header)
 * @param mapping     field → column, as given or recognised from the column names
 * @param dateFormat  the date format used (given or detected), null when no date column is mapped
 * @param columnKinds per column, what its first values look like: {@code date}, {@code number}, {@code text} or {@code empty}
 * @param rows        the first rows, each with one value per column (null for an empty value)
 * @param missing     what stops the import as mapped (required fields without a column), empty when nothing does
 */
public record ImportPreview(String format, List<String> columns, Map<Field, String> mapping, String dateFormat,
                            List<String> columnKinds, List<List<String>> rows, List<String> missing) {}
