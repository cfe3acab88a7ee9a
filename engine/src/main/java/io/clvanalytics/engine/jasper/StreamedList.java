package io.clvanalytics.engine.jasper;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import net.sf.jasperreports.engine.JRBand;
import net.sf.jasperreports.engine.JRElement;
import net.sf.jasperreports.engine.JRExpression;
import net.sf.jasperreports.engine.JRExpressionChunk;
import net.sf.jasperreports.engine.JRField;
import net.sf.jasperreports.engine.JRPrintElement;
import net.sf.jasperreports.engine.JRPrintPage;
import net.sf.jasperreports.engine.JRPrintText;
import net.sf.jasperreports.engine.JRStaticText;
import net.sf.jasperreports.engine.JRTextField;
import net.sf.jasperreports.engine.JasperPrint;
import net.sf.jasperreports.engine.JasperReport;
import net.sf.jasperreports.engine.type.BandTypeEnum;
import org.apache.poi.ss.usermodel.BorderStyle;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.FillPatternType;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.HorizontalAlignment;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.VerticalAlignment;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.xssf.usermodel.XSSFCellStyle;
import org.apache.poi.xssf.usermodel.XSSFColor;
import org.apache.poi.xssf.usermodel.XSSFFont;

/**
 * The XLSX and CSV of a list template (report property {@link ReportRenderer#PAGED_LIST_PROPERTY}),
 * written row by row straight from the template's {@code clv} query (XLSX with POI's streaming
 * {@link SXSSFWorkbook}) instead of filling 100,000 rows into pages and laying them out again for a
 * spreadsheet (five times slower, measured by the report benchmark).
 *
 * <p>Everything comes from the template, so the sheet is the one the JasperReports path would give:
 * the sheet name ({@code net.sf.jasperreports.export.xls.sheet.names.all}); the title band's texts as
 * JasperReports filled them (passed in as {@code head}); one column per detail text field, in layout
 * order, headed by the column header's static text above it, as wide as the field; numbers and dates as
 * numeric cells with the field's pattern as number format; text always as text cells (a value such as
 * {@code =HYPERLINK(...)} is never a formula); a frozen header row and an autofilter. The CSV has the
 * columns the template names with {@code net.sf.jasperreports.export.csv.column.name}, in the order of
 * {@code net.sf.jasperreports.export.csv.column.names.all}: plain numbers, dates as yyyy-MM-dd, text
 * neutralised ({@link SafeExport#neutraliseCsv}) and quoted where it holds a comma, quote or line break.
 *
 * <p>Contract: {@link #supports} says whether a template has this shape (detail text fields that each
 * show one field, a {@code clv} query); {@link #xlsx} and {@link #csv} are only called for such templates.
 */
final class StreamedList {

    private static final String CSV_COLUMN_NAME = "net.sf.jasperreports.export.csv.column.name";
    private static final String CSV_COLUMN_NAMES = "net.sf.jasperreports.export.csv.column.names.all";
    /** Excel's limit on the text of one cell. */
    private static final int MAX_CELL_TEXT = 32_767;
    /** Rows SXSSF keeps in memory before flushing them to its temporary file. */
    private static final int ROW_WINDOW = 200;
    /** JasperReports' XLSX export makes a column of w pixels w/6 characters wide; so does this. */
    private static final double PIXELS_PER_CHARACTER = 6.0;

    private StreamedList() {}

    /** One column: the field it shows, its header, width in pixels and number format (or null). */
    private record Column(String field, Class<?> type, String header, int width, String pattern, boolean right) {}

    /** Whether {@code report} is a list this writer can stream: a clv query and one field per detail text field. */
    static boolean supports(JasperReport report) {
        if (!"true".equals(report.getProperty(ReportRenderer.PAGED_LIST_PROPERTY)) || report.getQuery() == null
                || !"clv".equals(report.getQuery().getLanguage()) || detailElements(report).isEmpty()) {
            return false;
        }
        for (JRElement e : detailElements(report)) {
            if (!(e instanceof JRTextField tf) || fieldOf(tf.getExpression()) == null) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes the list as a sheet: {@code head} is the template filled for its first row only (its title band is
     * copied), {@code parameters} the converted parameter values the query takes; returns the data rows written.
     */
    static long xlsx(JasperReport report, String sheetName, JasperPrint head, Map<String, Object> parameters,
            Connection connection, OutputStream out) throws SQLException, IOException {
        List<Column> columns = columns(report, parameters);
        ClvQueryExecuter.Call call = ClvQueryExecuter.parse(report.getQuery().getChunks(), parameters::get);
        try (SXSSFWorkbook wb = new SXSSFWorkbook(ROW_WINDOW);
                PreparedStatement ps = connection.prepareStatement(call.query().jdbcSql())) {
            List<Object> values = call.query().bindValues(call.values());
            for (int i = 0; i < values.size(); i++) {
                ps.setObject(i + 1, values.get(i));
            }
            SXSSFSheet sheet = wb.createSheet(sheetName);
            for (int c = 0; c < columns.size(); c++) {
                sheet.setColumnWidth(c, (int) Math.min(255 * 256, Math.round(columns.get(c).width() / PIXELS_PER_CHARACTER * 256)));
            }
            int r = writeTitle(wb, sheet, head, columns.size());
            int headerRow = r;
            writeHeader(wb, sheet.createRow(r++), columns);
            sheet.createFreezePane(0, headerRow + 1);
            CellStyle[] styles = cellStyles(wb, columns);
            long rows = 0;
            try (ResultSet rs = ps.executeQuery()) {
                int[] index = columnIndexes(rs.getMetaData(), columns, call.query().name());
                while (rs.next()) {
                    Row row = sheet.createRow(r++);
                    row.setHeightInPoints(14);
                    for (int c = 0; c < columns.size(); c++) {
                        writeCell(row, c, columns.get(c), rs, index[c], styles[c]);
                    }
                    rows++;
                }
            }
            sheet.setAutoFilter(new CellRangeAddress(headerRow, Math.max(headerRow, r - 1), 0, columns.size() - 1));
            wb.getXSSFWorkbook().getProperties().getCoreProperties().setTitle(head.getName());
            wb.getXSSFWorkbook().getProperties().getCoreProperties().setCreator("CLV Analytics");
            wb.write(out);
            return rows;
        }
    }

    /** Writes the list as CSV (UTF-8, a header row, one line per row); returns the data rows written. */
    static long csv(JasperReport report, Map<String, Object> parameters, Connection connection, OutputStream out)
            throws SQLException, IOException {
        List<Column> columns = csvColumns(report, parameters);
        ClvQueryExecuter.Call call = ClvQueryExecuter.parse(report.getQuery().getChunks(), parameters::get);
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        long rows = 0;
        try (PreparedStatement ps = connection.prepareStatement(call.query().jdbcSql())) {
            List<Object> values = call.query().bindValues(call.values());
            for (int i = 0; i < values.size(); i++) {
                ps.setObject(i + 1, values.get(i));
            }
            w.write(columns.stream().map(Column::header).map(StreamedList::csvText).collect(Collectors.joining(",")));
            w.write('\n');
            try (ResultSet rs = ps.executeQuery()) {
                int[] index = columnIndexes(rs.getMetaData(), columns, call.query().name());
                while (rs.next()) {
                    for (int c = 0; c < columns.size(); c++) {
                        if (c > 0) {
                            w.write(',');
                        }
                        w.write(csvValue(columns.get(c).type(), rs, index[c]));
                    }
                    w.write('\n');
                    rows++;
                }
            }
        }
        w.flush();
        return rows;
    }

    private static String csvValue(Class<?> type, ResultSet rs, int index) throws SQLException {
        if (Number.class.isAssignableFrom(type)) {
            double v = rs.getDouble(index);
            return rs.wasNull() ? "" : String.valueOf(v);
        }
        if (java.util.Date.class.isAssignableFrom(type)) {
            Object v = rs.getObject(index);
            if (v == null) {
                return "";
            }
            return v instanceof Timestamp || v instanceof java.time.LocalDateTime ? String.valueOf(rs.getTimestamp(index))
                    : String.valueOf(rs.getDate(index));
        }
        String v = rs.getString(index);
        return v == null ? "" : csvText(SafeExport.neutraliseCsv(v));
    }

    /** Quoted (quotes doubled) when the text holds a comma, a quote or a line break. */
    private static String csvText(String text) {
        boolean quote = false;
        for (int i = 0; i < text.length() && !quote; i++) {
            char c = text.charAt(i);
            quote = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }

    /** The detail fields named as CSV columns, in the template's CSV column order, headed by their CSV names. */
    private static List<Column> csvColumns(JasperReport report, Map<String, Object> parameters) {
        Map<String, Column> byName = new LinkedHashMap<>();
        List<JRElement> elements = detailElements(report);
        List<Column> all = columns(report, parameters);
        for (int i = 0; i < elements.size(); i++) {
            String name = elements.get(i).getPropertiesMap().getProperty(CSV_COLUMN_NAME);
            if (name != null) {
                Column c = all.get(i);
                byName.put(name, new Column(c.field(), c.type(), name, c.width(), c.pattern(), c.right()));
            }
        }
        String order = report.getProperty(CSV_COLUMN_NAMES);
        if (order == null || order.isBlank()) {
            return List.copyOf(byName.values());
        }
        List<Column> ordered = new ArrayList<>();
        for (String name : order.split(",")) {
            Column c = byName.get(name.strip());
            if (c != null) {
                ordered.add(c);
            }
        }
        return ordered;
    }

    private static void writeCell(Row row, int c, Column column, ResultSet rs, int index, CellStyle style) throws SQLException {
        Class<?> type = column.type();
        if (Number.class.isAssignableFrom(type)) {
            double v = rs.getDouble(index);
            if (!rs.wasNull() && Double.isFinite(v)) {
                Cell cell = row.createCell(c);
                cell.setCellValue(v);
                cell.setCellStyle(style);
            }
        } else if (java.util.Date.class.isAssignableFrom(type)) {
            Object v = rs.getObject(index);
            if (v != null) {
                Cell cell = row.createCell(c);
                if (v instanceof Timestamp ts) {
                    cell.setCellValue(ts.toLocalDateTime());
                } else if (v instanceof java.time.LocalDateTime ldt) {
                    cell.setCellValue(ldt);
                } else if (v instanceof java.time.LocalDate ld) {
                    cell.setCellValue(ld);
                } else {
                    cell.setCellValue(rs.getDate(index).toLocalDate());
                }
                cell.setCellStyle(style);
            }
        } else {
            String v = rs.getString(index);
            if (v != null) {
                Cell cell = row.createCell(c);
                // setCellValue(String) always writes a text cell: data is never read as a formula.
                cell.setCellValue(v.length() > MAX_CELL_TEXT ? v.substring(0, MAX_CELL_TEXT) : v);
                cell.setCellStyle(style);
            }
        }
    }

    /** The title band's texts as filled, one row each, top to bottom; returns the next free row. */
    private static int writeTitle(SXSSFWorkbook wb, SXSSFSheet sheet, JasperPrint head, int width) {
        List<JRPrintText> texts = new ArrayList<>();
        for (JRPrintPage page : head.getPages()) {
            for (JRPrintElement e : page.getElements()) {
                if (e instanceof JRPrintText t && e.getOrigin() != null && e.getOrigin().getBandType() == BandTypeEnum.TITLE
                        && t.getFullText() != null && !t.getFullText().isBlank()) {
                    texts.add(t);
                }
            }
            break;
        }
        texts.sort(Comparator.comparingInt(JRPrintElement::getY).thenComparingInt(JRPrintElement::getX));
        Map<String, CellStyle> styles = new HashMap<>();
        int r = 0;
        for (JRPrintText t : texts) {
            Row row = sheet.createRow(r);
            row.setHeightInPoints(Math.max(13, t.getHeight()));
            Cell cell = row.createCell(0);
            cell.setCellValue(t.getFullText());
            cell.setCellStyle(styles.computeIfAbsent(t.getStyle() == null ? "" : t.getStyle().getName(), s -> titleStyle(wb, t)));
            if (width > 1) {
                sheet.addMergedRegion(new CellRangeAddress(r, r, 0, width - 1));
            }
            r++;
        }
        return r;
    }

    private static CellStyle titleStyle(SXSSFWorkbook wb, JRPrintText t) {
        XSSFCellStyle style = (XSSFCellStyle) wb.createCellStyle();
        XSSFFont font = (XSSFFont) wb.createFont();
        font.setFontName(t.getFontName());
        font.setFontHeightInPoints((short) Math.round(t.getFontSize()));
        font.setBold(t.isBold());
        font.setItalic(t.isItalic());
        if (t.getForecolor() != null) {
            font.setColor(new XSSFColor(t.getForecolor(), null));
        }
        style.setFont(font);
        style.setVerticalAlignment(VerticalAlignment.CENTER);
        return style;
    }

    private static void writeHeader(SXSSFWorkbook wb, Row row, List<Column> columns) {
        row.setHeightInPoints(20);
        XSSFCellStyle left = (XSSFCellStyle) wb.createCellStyle();
        XSSFFont font = (XSSFFont) wb.createFont();
        font.setFontName("DejaVu Sans");
        font.setFontHeightInPoints((short) 8);
        font.setBold(true);
        font.setColor(new XSSFColor(new java.awt.Color(0xFF, 0xFF, 0xFF), null));
        left.setFont(font);
        left.setFillForegroundColor(new XSSFColor(new java.awt.Color(0x0F, 0x4C, 0x81), null));
        left.setFillPattern(FillPatternType.SOLID_FOREGROUND);
        left.setVerticalAlignment(VerticalAlignment.CENTER);
        XSSFCellStyle right = (XSSFCellStyle) wb.createCellStyle();
        right.cloneStyleFrom(left);
        right.setAlignment(HorizontalAlignment.RIGHT);
        for (int c = 0; c < columns.size(); c++) {
            Cell cell = row.createCell(c);
            cell.setCellValue(columns.get(c).header());
            cell.setCellStyle(columns.get(c).right() ? right : left);
        }
    }

    private static CellStyle[] cellStyles(SXSSFWorkbook wb, List<Column> columns) {
        Font font = wb.createFont();
        font.setFontName("DejaVu Sans");
        font.setFontHeightInPoints((short) 8);
        Map<String, CellStyle> byFormat = new HashMap<>();
        CellStyle[] styles = new CellStyle[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            Column col = columns.get(c);
            String key = col.pattern() + "|" + col.right();
            styles[c] = byFormat.computeIfAbsent(key, k -> {
                XSSFCellStyle s = (XSSFCellStyle) wb.createCellStyle();
                s.setFont(font);
                s.setVerticalAlignment(VerticalAlignment.CENTER);
                s.setBorderBottom(BorderStyle.HAIR);
                s.setBottomBorderColor(new XSSFColor(new java.awt.Color(0xD1, 0xD5, 0xDB), null));
                if (col.pattern() != null) {
                    s.setDataFormat(wb.createDataFormat().getFormat(col.pattern()));
                }
                if (col.right()) {
                    s.setAlignment(HorizontalAlignment.RIGHT);
                }
                return s;
            });
        }
        return styles;
    }

    private static int[] columnIndexes(ResultSetMetaData md, List<Column> columns, String query) throws SQLException {
        Map<String, Integer> byLabel = new HashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            byLabel.putIfAbsent(md.getColumnLabel(i).toLowerCase(Locale.ROOT), i);
        }
        int[] index = new int[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            Integer i = byLabel.get(columns.get(c).field().toLowerCase(Locale.ROOT));
            if (i == null) {
                throw new SQLException("clv query " + query + " has no column " + columns.get(c).field()
                        + " that the template's field needs");
            }
            index[c] = i;
        }
        return index;
    }

    private static List<Column> columns(JasperReport report, Map<String, Object> parameters) {
        Map<String, Class<?>> fieldTypes = new HashMap<>();
        for (JRField f : report.getFields()) {
            fieldTypes.put(f.getName(), f.getValueClass());
        }
        List<JRElement> headers = report.getColumnHeader() == null ? List.of() : List.of(report.getColumnHeader().getElements());
        List<Column> columns = new ArrayList<>();
        for (JRElement e : detailElements(report)) {
            JRTextField tf = (JRTextField) e;
            String field = fieldOf(tf.getExpression());
            String header = headers.stream()
                    .filter(h -> h instanceof JRStaticText && h.getX() == e.getX())
                    .map(h -> ((JRStaticText) h).getText())
                    .findFirst().orElse(field);
            String pattern = tf.getPattern() != null ? tf.getPattern() : pattern(tf.getPatternExpression(), parameters);
            Class<?> type = fieldTypes.getOrDefault(field, String.class);
            columns.add(new Column(field, type, header, e.getWidth(), pattern, Number.class.isAssignableFrom(type)));
        }
        return columns;
    }

    private static List<JRElement> detailElements(JasperReport report) {
        if (report.getDetailSection() == null || report.getDetailSection().getBands() == null) {
            return List.of();
        }
        List<JRElement> elements = new ArrayList<>();
        for (JRBand band : report.getDetailSection().getBands()) {
            elements.addAll(List.of(band.getElements()));
        }
        elements.sort(Comparator.comparingInt(JRElement::getX));
        return elements;
    }

    /** The field an expression shows when it is exactly {@code $F{name}}, else null. */
    private static String fieldOf(JRExpression expression) {
        if (expression == null || expression.getChunks() == null) {
            return null;
        }
        String field = null;
        for (JRExpressionChunk chunk : expression.getChunks()) {
            if (chunk.getType() == JRExpressionChunk.TYPE_FIELD && field == null) {
                field = chunk.getText();
            } else if (!(chunk.getType() == JRExpressionChunk.TYPE_TEXT && chunk.getText().isBlank())) {
                return null;
            }
        }
        return field;
    }

    /**
     * A pattern expression of parameters and string literals joined with {@code +} (such as
     * {@code $P{CURRENCY_SYMBOL} + "#,##0.00"}), evaluated; anything else is refused so that a template
     * change cannot silently lose its number format.
     */
    static String pattern(JRExpression expression, Map<String, Object> parameters) {
        if (expression == null || expression.getChunks() == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (JRExpressionChunk chunk : expression.getChunks()) {
            switch (chunk.getType()) {
                case JRExpressionChunk.TYPE_PARAMETER -> sb.append(excelLiteral(String.valueOf(parameters.get(chunk.getText()))));
                case JRExpressionChunk.TYPE_TEXT -> sb.append(literals(chunk.getText(), expression));
                default -> throw unsupported(expression);
            }
        }
        return sb.toString();
    }

    /** The concatenated string literals of {@code + "a" + "b"} text. */
    private static String literals(String text, JRExpression expression) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char ch = text.charAt(i);
            if (Character.isWhitespace(ch) || ch == '+') {
                i++;
            } else if (ch == '"') {
                int end = text.indexOf('"', i + 1);
                if (end < 0 || text.substring(i + 1, end).indexOf('\\') >= 0) {
                    throw unsupported(expression);
                }
                sb.append(text, i + 1, end);
                i = end + 1;
            } else {
                throw unsupported(expression);
            }
        }
        return sb.toString();
    }

    /** A currency symbol as an Excel number-format literal: "$" as it is, anything else quoted. */
    private static String excelLiteral(String symbol) {
        return "$".equals(symbol) ? symbol : "\"" + symbol.replace("\"", "") + "\"";
    }

    private static IllegalStateException unsupported(JRExpression expression) {
        return new IllegalStateException("pattern expression " + expression.getText() + " of a list template must join"
                + " parameters and string literals with +");
    }
}
