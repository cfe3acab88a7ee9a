package io.clvanalytics.engine.ingest;

import io.clvanalytics.engine.DataValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

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
    /** True for a delimited CSV read by {@code read_csv}. */
    private final boolean delimited;
    /** Whether {@link #columns} are names from the file (a header, Parquet's schema) rather than positions. */
    final boolean named;

    private ImportSource(Path file, List<String> columns, List<String> expressions, String relation,
            List<Object> params, long firstLine, String lineColumn, String describedFormat, boolean named) {
        this(file, columns, expressions, relation, params, firstLine, lineColumn, describedFormat, false, named);
    }

    private ImportSource(Path file, List<String> columns, List<String> expressions, String relation,
            List<Object> params, long firstLine, String lineColumn, String describedFormat, boolean delimited, boolean named) {
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
        this.named = named;
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
        return new ImportSource(file, columns, expressions, tolerant, params, firstLine, lineColumn, describedFormat, false, named);
    }

    /** Whether this is a delimited CSV read by {@code read_csv}, the one relation the importer's typed pass reads. */
    boolean delimited() {
        return delimited;
    }

    /**
     * The path as DuckDB's readers must get it: they expand {@code * ? [} as a glob, so each is escaped as a
     * one-character class ({@code [*]}, {@code [?]}, {@code [[]}) and the path names this one file only.
     */
    static String duckdbPath(Path file) {
        String path = file.toString();
        StringBuilder sb = new StringBuilder(path.length() + 8);
        for (int i = 0; i < path.length(); i++) {
            char ch = path.charAt(i);
            if (ch == '*' || ch == '?' || ch == '[') {
                sb.append('[').append(ch).append(']');
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    /** {@code {'c1': 'T1', ...}}: our own column names, so no text of the file reaches the SQL; types are constants. */
    private static String columnsStruct(List<String> types) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < types.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append("'c").append(i + 1).append("': '").append(types.get(i)).append('\'');
        }
        return sb.append('}').toString();
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
    static ImportSource stagedTable(Path file, String table, List<String> columns, String lineColumn, boolean named) {
        List<String> exprs = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            exprs.add(quote("c" + (i + 1)));
        }
        return new ImportSource(file, columns, exprs, quote(table), List.of(), 0, lineColumn, "xlsx", named);
    }

    private static ImportSource parquet(Connection c, Path file) throws SQLException {
        List<String> names = new ArrayList<>();
        List<String> exprs = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("DESCRIBE SELECT * FROM read_parquet(?)")) {
            ps.setString(1, duckdbPath(file));
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
        return new ImportSource(file, names, exprs, "read_parquet(?)", List.of(duckdbPath(file)), 1, null, "parquet", true);
    }

    private static ImportSource csv(Connection c, Path file, ImportOptions o) throws SQLException {
        String path = duckdbPath(file);
        Character delimiter = o.delimiter();
        Boolean header = o.header();
        if (o.whitespaceDelimited()) {
            return whitespaceText(c, file, header);
        }
        // With --on-error skip, malformed lines must not hide the layout of the good ones; a line longer than the
        // reader's maximum must not stop the sniffer either (the reader rejects it as "line size over maximum").
        String tolerance = o.onError() == ImportOptions.OnError.SKIP ? ", ignore_errors = true" : "";
        String quote;
        String escape;
        List<String> names = new ArrayList<>();
        long maxLineBytes = 0;
        while (true) {
            names.clear();
            try (PreparedStatement ps = c.prepareStatement("SELECT Delimiter, HasHeader, Quote, Escape, Columns FROM sniff_csv(?"
                    + (delimiter == null ? "" : ", delim = ?") + tolerance + (maxLineBytes > 0 ? ", max_line_size = " + maxLineBytes : "") + ")")) {
                ps.setString(1, path);
                if (delimiter != null) {
                    ps.setString(2, delimiter.toString());
                }
                ResultSet rs = ps.executeQuery();
                rs.next();
                String sniffedDelimiter = rs.getString(1);
                boolean sniffedHeader = rs.getBoolean(2);
                quote = rs.getString(3);
                escape = rs.getString(4);
                for (Object col : (Object[]) rs.getArray(5).getArray()) {
                    names.add(String.valueOf(((java.sql.Struct) col).getAttributes()[0]));
                }
                rs.close();
                if (delimiter == null && names.size() <= 1 && looksWhitespaceSeparated(c, file)) {
                    return whitespaceText(c, file, header);
                }
                if (delimiter == null) {
                    delimiter = sniffedDelimiter.isEmpty() ? ',' : sniffedDelimiter.charAt(0);
                }
                if (header == null) {
                    header = sniffedHeader;
                }
                break;
            } catch (SQLException e) {
                // A line longer than the reader's maximum stops the sniffer too: sniff again allowing it (up to a bound,
                // the sniffer's buffers grow with it); the reader then rejects that line as "line size over maximum".
                Matcher m = SUGGESTED_LINE_SIZE.matcher(String.valueOf(e.getMessage()));
                if (m.find() && maxLineBytes < Long.parseLong(m.group(1)) && Long.parseLong(m.group(1)) <= SNIFF_MAX_LINE_BYTES) {
                    // One retry covers most long lines (each sniff of such a file is slow); a longer one found then, one more.
                    maxLineBytes = Math.max(Long.parseLong(m.group(1)) + 1024, SNIFF_RETRY_LINE_BYTES);
                    continue;
                }
                throw new DataValidationException(file + ": cannot detect the CSV layout (" + duckdbReason(e)
                        + "); give --delimiter and --header/--no-header");
            }
        }
        // Quotes are always quotes (RFC 4180): where the sniffer saw none, an unbalanced one is a malformed line, not text.
        quote = quote == null || quote.length() != 1 ? "\"" : quote;
        escape = escape == null || escape.length() != 1 ? quote : escape;
        String firstLine = firstTextLine(file);
        List<String> firstFields = firstLine == null ? List.of() : splitLine(firstLine, delimiter, quote.charAt(0));
        if (firstFields.size() == 1 && o.delimiter() == null) {
            // Mixed delimiters misled the sniffer into one column: line 1's delimiter decides.
            for (char candidate : new char[] {',', ';', '\t', '|'}) {
                List<String> fields = splitLine(firstLine, candidate, quote.charAt(0));
                if (fields.size() > firstFields.size()) {
                    firstFields = fields;
                    delimiter = candidate;
                }
            }
        }
        if (firstFields.size() > 1 && firstFields.size() != names.size() && !Boolean.FALSE.equals(o.header())) {
            // Ragged rows misled the sniffer (it takes the widest row's count, and then no header): line 1 decides,
            // so the reader names the first line that does not fit.
            header = o.header() != null ? o.header() : firstFields.stream().noneMatch(f -> f.isBlank() || isNumeric(f.trim()));
            names = new ArrayList<>();
            for (String f : firstFields) {
                names.add(f.trim());
            }
        }
        if (header) {
            refuseRepeatedNames(file, firstFields, names);
        }
        return delimited(file, delimiter, quote, escape, header, names);
    }

    private static final Pattern SUGGESTED_LINE_SIZE = Pattern.compile("max_line_size=(\\d+)");

    /** The longest line the sniffer is allowed to meet (its buffers are a multiple of it); longer ones refuse the file. */
    private static final long SNIFF_MAX_LINE_BYTES = 64L << 20;
    private static final long SNIFF_RETRY_LINE_BYTES = 16L << 20;

    /**
     * Two header columns of the same name (DuckDB would read the second as {@code name_1}) refuse the file: which one
     * a field maps to would be a guess. The header line is split here, quote-aware, only to compare its names.
     */
    private static void refuseRepeatedNames(Path file, List<String> raw, List<String> sniffed) {
        if (raw.size() != sniffed.size()) {
            return;
        }
        for (int i = 0; i < raw.size(); i++) {
            for (int j = i + 1; j < raw.size(); j++) {
                if (!raw.get(i).isBlank() && raw.get(i).trim().equalsIgnoreCase(raw.get(j).trim())) {
                    throw new DataValidationException(file + ": the header names two columns '" + shortName(raw.get(i).trim()) + "' (columns "
                            + (i + 1) + " and " + (j + 1) + "); rename one of them, or give --no-header and map the columns by position");
                }
            }
        }
    }

    /** Longest first line {@link #firstTextLine} reads; a longer one is left to the reader (which names the problem). */
    private static final int FIRST_LINE_MAX_CHARS = 1 << 20;

    /**
     * Line 1 of the file as text (without a byte order mark), or null when it cannot be read so (empty, not UTF-8,
     * longer than {@value #FIRST_LINE_MAX_CHARS} characters: the reader then says why). Read here rather than by
     * DuckDB: its parallel CSV scan of {@code LIMIT 1} read far more of the file (0.27-0.67 s on a 52 MB one).
     */
    private static String firstTextLine(Path file) {
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             Reader r = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                     .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT))) {
            StringBuilder line = new StringBuilder();
            for (int ch = r.read(); ch >= 0 && ch != '\n' && ch != '\r'; ch = r.read()) {
                if (line.length() >= FIRST_LINE_MAX_CHARS) {
                    return null;
                }
                line.append((char) ch);
            }
            String text = line.toString();
            text = text.startsWith("\uFEFF") ? text.substring(1) : text;
            return text.isEmpty() ? null : text;
        } catch (IOException e) {
            return null;
        }
    }

    private static List<String> splitLine(String line, char delimiter, char quote) {
        List<String> fields = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (ch == quote) {
                quoted = !quoted;
            } else if (ch == delimiter && !quoted) {
                fields.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        fields.add(cur.toString());
        return fields;
    }

    private static ImportSource delimited(Path file, char delimiter, String quote, String escape, boolean header, List<String> sniffedNames) {
        // auto_detect off and our own column names: the layout is the one detected above, for every line of the file.
        String relation = "read_csv(?, delim = ?, quote = ?, escape = ?, header = ?, auto_detect = false, strict_mode = true, columns = "
                + columnsStruct(Collections.nCopies(sniffedNames.size(), "VARCHAR")) + ")";
        List<Object> params = List.of(duckdbPath(file), String.valueOf(delimiter), quote, escape, header);
        List<String> names = new ArrayList<>();
        List<String> exprs = new ArrayList<>();
        for (int i = 0; i < sniffedNames.size(); i++) {
            names.add(header ? sniffedNames.get(i) : String.valueOf(i + 1));
            exprs.add(quote("c" + (i + 1)));
        }
        String described = "csv, delimiter " + describeDelimiter(delimiter) + (header ? ", header" : ", no header");
        return new ImportSource(file, names, exprs, relation, params, header ? 2 : 1, null, described, true, header);
    }

    /** Columns separated by runs of blanks (CDNOW): DuckDB reads whole lines, SQL splits them. */
    private static ImportSource whitespaceText(Connection c, Path file, Boolean header) throws SQLException {
        List<List<String>> firstLines = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT regexp_split_to_array(trim(line), '\\s+') FROM "
                + linesRelation(false) + " WHERE trim(line) <> '' LIMIT 2")) {
            ps.setString(1, duckdbPath(file));
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
        return new ImportSource(file, names, exprs, relation, List.of(duckdbPath(file)), header ? 2 : 1, null,
                "text, columns separated by blanks" + (header ? ", header" : ", no header"), header);
    }

    private static String linesRelation(boolean header) {
        return "read_csv(?, delim = '" + WHOLE_LINE_DELIMITER + "', quote = '', escape = '', header = " + header
                + ", auto_detect = false, columns = {'line': 'VARCHAR'})";
    }

    private static boolean looksWhitespaceSeparated(Connection c, Path file) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FILTER (WHERE len(regexp_split_to_array(trim(line), '\\s+')) > 1),"
                + " count(*) FROM (SELECT line FROM " + linesRelation(false) + " WHERE trim(line) <> '' LIMIT 20)")) {
            ps.setString(1, duckdbPath(file));
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
        if (!named && name.matches("\\d+")) {
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

    /** Longest column name quoted in a message: a "header" may be the first line of a file that is not CSV at all. */
    private static final int NAME_CHARS = 30;
    /** Most column names listed in a message. */
    private static final int NAMES_LISTED = 20;

    /** A column name as messages quote it: at most {@value #NAME_CHARS} characters. */
    static String shortName(String name) {
        return name.length() <= NAME_CHARS ? name : name.substring(0, NAME_CHARS) + "...";
    }

    /** The column names for a message: the header's names, each cut to {@value #NAME_CHARS} characters, at most {@value #NAMES_LISTED}; positions when the file has no header. */
    String describeColumns() {
        if (columns.size() == 1) {
            return "one column (no delimiter found: is this a CSV file?)";
        }
        if (!named) {
            return columns.size() + " unnamed columns (no header: map them by position, 1 to " + columns.size() + ")";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(columns.size(), NAMES_LISTED); i++) {
            sb.append(i == 0 ? "" : ", ").append(shortName(columns.get(i)));
        }
        if (columns.size() > NAMES_LISTED) {
            sb.append(", ... (").append(columns.size()).append(" in all)");
        }
        return sb.toString();
    }

    /**
     * What DuckDB says is wrong, without the file's text: its first line ("CSV Error on Line: 3") and the reason
     * after the quoted original line, never the line itself (it may be any file the user can read).
     */
    static String duckdbReason(SQLException e) {
        String[] lines = String.valueOf(e.getMessage()).split("\n");
        String first = lines[0].replaceFirst("^[A-Za-z ]+Error: ", "");
        if (first.startsWith("Error when sniffing file")) {
            return "the CSV dialect could not be detected";
        }
        boolean afterOriginal = false;
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i].trim();
            if (l.startsWith("Original Line:")) {
                afterOriginal = true;
            } else if (afterOriginal && (l.startsWith("Expected Number of Columns") || l.startsWith("Value with unterminated quote")
                    || l.startsWith("Maximum line size") || l.startsWith("Invalid unicode") || l.startsWith("Could not convert"))) {
                return first + ": " + l.replaceAll("'[^']*'", "'...'");
            }
        }
        return first.contains("Original Line") ? first.substring(0, first.indexOf("Original Line")).trim() : first;
    }

    static String firstLine(SQLException e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
