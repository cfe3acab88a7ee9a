package io.clvanalytics.engine.ingest;

import io.clvanalytics.engine.DataValidationException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One input file seen as a SQL relation of text columns, read by DuckDB's own readers
 * ({@code read_csv}, {@code read_parquet}) or, for XLSX, by {@link XlsxStager} into a temporary
 * table. Column expressions are built only from the column names the file itself declares
 * (quoted as identifiers) or from positions, never from other input.
 */
final class ImportSource {

    /** A character that never occurs in text files, so each line reads as one column. */
    private static final String WHOLE_LINE_DELIMITER = "\u0001";

    final Path file;
    final String displayName;
    /** Column names as the user sees them: the header's names, or 1-based positions without a header. */
    final List<String> columns;
    /** For each column, a SQL expression of type VARCHAR over the relation. */
    final List<String> expressions;
    /** The relation, e.g. {@code read_csv(?, ...)}; its parameters are {@link #params}. */
    final String relation;
    final List<Object> params;
    /** Line number of the first data row (header = line 1), when rows carry no explicit line. */
    final long firstLine;
    /** Name of a column carrying each row's line number, or null when lines follow row order. */
    final String lineColumn;
    final String describedFormat;
    /** True for a delimited CSV read by {@code read_csv}, the one relation {@link #typed} can retype. */
    private final boolean delimited;

    private ImportSource(Path file, List<String> columns, List<String> expressions, String relation,
            List<Object> params, long firstLine, String lineColumn, String describedFormat) {
        this(file, columns, expressions, relation, params, firstLine, lineColumn, describedFormat, false);
    }

    private ImportSource(Path file, List<String> columns, List<String> expressions, String relation,
            List<Object> params, long firstLine, String lineColumn, String describedFormat, boolean delimited) {
        this.file = file;
        this.displayName = file.toString();
        this.columns = List.copyOf(columns);
        this.expressions = List.copyOf(expressions);
        this.relation = relation;
        this.params = List.copyOf(params);
        this.firstLine = firstLine;
        this.lineColumn = lineColumn;
        this.describedFormat = describedFormat;
        this.delimited = delimited;
    }

    /**
     * The same delimited CSV read with DuckDB's {@code store_rejects}: a malformed line (too many or too few columns,
     * a misplaced quote) is left out of the rows and recorded in the temporary table {@code errorsTable} ({@code line},
     * {@code error_type}, {@code column_name}, {@code csv_line}, ...) instead of failing the read. Null for other formats.
     */
    ImportSource skippingMalformedLines(String errorsTable, String scansTable) {
        if (!delimited) {
            return null;
        }
        String tolerant = relation.substring(0, relation.length() - 1) + ", store_rejects = true, rejects_table = '"
                + errorsTable.replace("'", "") + "', rejects_scan = '" + scansTable.replace("'", "") + "')";
        return new ImportSource(file, columns, expressions, tolerant, params, firstLine, lineColumn, describedFormat, false);
    }

    /** SQL types {@link #typed} may give a column: a fixed list, so no text from input reaches the SQL. */
    static final List<String> TYPES = List.of("VARCHAR", "TIMESTAMP", "DOUBLE", "DECIMAL(18,4)");

    /**
     * The same file read by DuckDB's typed CSV reader: column {@code i} as {@code types.get(i)} (one of
     * {@link #TYPES}), timestamps in the strptime {@code timestampFormat}. A value the type cannot hold fails the
     * read (the caller then reads the file as text to name every bad value). Null when the file is not a
     * delimited CSV. Same columns, expressions, lines and parameters plus the format, last.
     */
    ImportSource typed(List<String> types, String timestampFormat) {
        if (!delimited || types.size() != columns.size() || !TYPES.containsAll(types)) {
            return null;
        }
        String typedRelation = relation.substring(0, relation.length() - 1) + ", types = ['" + String.join("', '", types)
                + "'], timestampformat = ?)";
        List<Object> typedParams = new ArrayList<>(params);
        typedParams.add(timestampFormat);
        return new ImportSource(file, columns, expressions, typedRelation, typedParams, firstLine, lineColumn, describedFormat, false);
    }

    /** Opens {@code file} by its extension (CSV and text, optionally gzip; Parquet; XLSX). */
    static ImportSource open(Connection c, Path file, ImportOptions options, String tempPrefix) throws SQLException {
        if (!Files.isRegularFile(file)) {
            throw new DataValidationException(file + ": file not found");
        }
        if (!Files.isReadable(file)) {
            throw new DataValidationException(file + ": file not readable");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".parquet")) {
            return parquet(c, file);
        }
        if (name.endsWith(".xlsx") || name.endsWith(".xlsm")) {
            return XlsxStager.stage(c, file, options, tempPrefix + "_xlsx");
        }
        if (name.endsWith(".xls")) {
            throw new DataValidationException(file + ": Excel 97 .xls workbooks are not supported; save the sheet as .xlsx or CSV");
        }
        return csv(c, file, options);
    }

    /** A source over an already staged temporary table with text columns c1..cN and a line column. */
    static ImportSource stagedTable(Path file, String table, List<String> columns, String lineColumn) {
        List<String> exprs = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            exprs.add(quote("c" + (i + 1)));
        }
        return new ImportSource(file, columns, exprs, quote(table), List.of(), 0, lineColumn, "xlsx");
    }

    private static ImportSource parquet(Connection c, Path file) throws SQLException {
        List<String> names = new ArrayList<>();
        List<String> exprs = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("DESCRIBE SELECT * FROM read_parquet(?)")) {
            ps.setString(1, file.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String col = rs.getString(1);
                    String type = rs.getString(2).toUpperCase(Locale.ROOT);
                    String q = quote(col);
                    names.add(col);
                    if (type.equals("VARCHAR")) {
                        exprs.add(q);
                    } else if (type.equals("DOUBLE") || type.equals("FLOAT")) {
                        // Ids stored as floating point (UCI's CustomerID 17850.0) must read as in the CSV (17850).
                        exprs.add("CASE WHEN " + q + " = trunc(" + q + ") AND abs(" + q + ") < 1e15 THEN CAST(CAST(" + q
                                + " AS BIGINT) AS VARCHAR) ELSE CAST(" + q + " AS VARCHAR) END");
                    } else {
                        exprs.add("CAST(" + q + " AS VARCHAR)");
                    }
                }
            }
        } catch (SQLException e) {
            throw new DataValidationException(file + ": not a readable Parquet file (" + firstLine(e) + ")");
        }
        return new ImportSource(file, names, exprs, "read_parquet(?)", List.of(file.toString()), 1, null, "parquet");
    }

    private static ImportSource csv(Connection c, Path file, ImportOptions o) throws SQLException {
        String path = file.toString();
        Character delimiter = o.delimiter();
        Boolean header = o.header();
        boolean whitespace = o.whitespaceDelimited();
        // With --on-error skip, malformed lines must not hide the layout of the good ones.
        String tolerance = o.onError() == ImportOptions.OnError.SKIP ? ", ignore_errors = true" : "";
        if (!whitespace && (delimiter == null || header == null)) {
            try (PreparedStatement ps = c.prepareStatement(delimiter == null
                    ? "SELECT Delimiter, HasHeader, len(Columns) FROM sniff_csv(?" + tolerance + ")"
                    : "SELECT Delimiter, HasHeader, len(Columns) FROM sniff_csv(?, delim = ?" + tolerance + ")")) {
                ps.setString(1, path);
                if (delimiter != null) {
                    ps.setString(2, delimiter.toString());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    String sniffedDelimiter = rs.getString(1);
                    boolean sniffedHeader = rs.getBoolean(2);
                    int sniffedColumns = rs.getInt(3);
                    if (delimiter == null && sniffedColumns <= 1 && looksWhitespaceSeparated(c, file)) {
                        whitespace = true;
                    } else {
                        if (delimiter == null) {
                            delimiter = sniffedDelimiter.isEmpty() ? ',' : sniffedDelimiter.charAt(0);
                        }
                        if (header == null) {
                            header = sniffedHeader;
                        }
                    }
                }
            } catch (SQLException e) {
                throw new DataValidationException(file + ": cannot detect the CSV layout (" + firstLine(e)
                        + "); give --delimiter and --header/--no-header");
            }
        }
        return whitespace ? whitespaceText(c, file, header) : delimited(c, file, delimiter, header, tolerance);
    }

    private static ImportSource delimited(Connection c, Path file, char delimiter, boolean header, String tolerance) throws SQLException {
        String relation = "read_csv(?, delim = ?, header = ?, all_varchar = true, strict_mode = true)";
        List<Object> params = List.of(file.toString(), String.valueOf(delimiter), header);
        List<String> names = new ArrayList<>();
        List<String> exprs = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("DESCRIBE SELECT * FROM " + relation.substring(0, relation.length() - 1) + tolerance + ")")) {
            bind(ps, params, 1);
            try (ResultSet rs = ps.executeQuery()) {
                int i = 0;
                while (rs.next()) {
                    i++;
                    String col = rs.getString(1);
                    names.add(header ? col : String.valueOf(i));
                    exprs.add(quote(col));
                }
            }
        } catch (SQLException e) {
            throw new DataValidationException(file + ": cannot read as CSV (" + firstLine(e) + ")");
        }
        String described = "csv, delimiter " + describeDelimiter(delimiter) + (header ? ", header" : ", no header");
        return new ImportSource(file, names, exprs, relation, params, header ? 2 : 1, null, described, true);
    }

    /** Columns separated by runs of blanks (CDNOW): DuckDB reads whole lines, SQL splits them. */
    private static ImportSource whitespaceText(Connection c, Path file, Boolean header) throws SQLException {
        List<List<String>> firstLines = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT regexp_split_to_array(trim(line), '\\s+') FROM "
                + linesRelation(false) + " WHERE trim(line) <> '' LIMIT 2")) {
            ps.setString(1, file.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> fields = new ArrayList<>();
                    for (Object f : (Object[]) rs.getArray(1).getArray()) {
                        fields.add(String.valueOf(f));
                    }
                    firstLines.add(fields);
                }
            }
        }
        if (firstLines.isEmpty()) {
            throw new DataValidationException(file + ": the file holds no data lines");
        }
        if (header == null) {
            header = firstLines.size() > 1 && firstLines.get(0).stream().noneMatch(ImportSource::isNumeric)
                    && firstLines.get(1).stream().anyMatch(ImportSource::isNumeric);
        }
        List<String> first = firstLines.get(0);
        int n = header || firstLines.size() < 2 ? first.size() : Math.max(first.size(), firstLines.get(1).size());
        List<String> names = new ArrayList<>();
        List<String> exprs = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            names.add(header ? first.get(i - 1) : String.valueOf(i));
            exprs.add("f[" + i + "]");
        }
        String relation = "(SELECT regexp_split_to_array(trim(line), '\\s+') AS f FROM " + linesRelation(header) + ")";
        return new ImportSource(file, names, exprs, relation, List.of(file.toString()), header ? 2 : 1, null,
                "text, columns separated by blanks" + (header ? ", header" : ", no header"));
    }

    private static String linesRelation(boolean header) {
        return "read_csv(?, delim = '" + WHOLE_LINE_DELIMITER + "', quote = '', escape = '', header = " + header
                + ", auto_detect = false, columns = {'line': 'VARCHAR'})";
    }

    private static boolean looksWhitespaceSeparated(Connection c, Path file) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FILTER (WHERE len(regexp_split_to_array(trim(line), '\\s+')) > 1),"
                + " count(*) FROM (SELECT line FROM " + linesRelation(false) + " WHERE trim(line) <> '' LIMIT 20)")) {
            ps.setString(1, file.toString());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(2) > 0 && rs.getLong(1) == rs.getLong(2);
            }
        }
    }

    private static boolean isNumeric(String s) {
        return s.matches("[-+]?[0-9][0-9.,]*");
    }

    private static String describeDelimiter(char d) {
        return switch (d) {
            case '\t' -> "tab";
            case ' ' -> "space";
            default -> "'" + d + "'";
        };
    }

    /** Binds {@link #params} from index {@code from}; returns the next free index. */
    int bind(PreparedStatement ps, int from) throws SQLException {
        return bind(ps, params, from);
    }

    private static int bind(PreparedStatement ps, List<Object> params, int from) throws SQLException {
        int i = from;
        for (Object p : params) {
            ps.setObject(i++, p);
        }
        return i;
    }

    /** The index of the column named {@code name} (exact, then normalized), or -1. */
    int columnIndex(String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).equals(name)) {
                return i;
            }
        }
        String n = Field.normalize(name);
        for (int i = 0; i < columns.size(); i++) {
            if (Field.normalize(columns.get(i)).equals(n)) {
                return i;
            }
        }
        if (name.matches("\\d+")) {
            int pos = Integer.parseInt(name);
            if (pos >= 1 && pos <= columns.size()) {
                return pos - 1;
            }
        }
        return -1;
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    static String firstLine(SQLException e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
