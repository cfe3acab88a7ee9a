package io.clvanalytics.engine.ingest;

import io.clvanalytics.engine.DataValidationException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.openxml4j.opc.PackageAccess;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.model.StylesTable;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;

/**
 * Streams one sheet of an XLSX workbook (Apache POI's SAX event API, so memory stays bounded)
 * into a temporary table of text columns {@code c1..cN} plus {@code line} (the Excel row number)
 * through DuckDB's Appender. Cells formatted as dates are written as ISO timestamps, so the
 * import does not depend on the workbook's display format; other cells as Excel shows them.
 */
final class XlsxStager {

    private XlsxStager() {}

    static ImportSource stage(Connection c, Path file, ImportOptions options, String table) throws SQLException {
        try (OPCPackage pkg = OPCPackage.open(file.toFile(), PackageAccess.READ)) {
            XSSFReader reader = new XSSFReader(pkg);
            ReadOnlySharedStringsTable strings = new ReadOnlySharedStringsTable(pkg);
            StylesTable styles = reader.getStylesTable();
            XSSFReader.SheetIterator sheets = (XSSFReader.SheetIterator) reader.getSheetsData();
            while (sheets.hasNext()) {
                try (InputStream sheet = sheets.next()) {
                    if (options.sheet() == null || options.sheet().equals(sheets.getSheetName())) {
                        return read(c, file, options, table, strings, styles, sheet);
                    }
                }
            }
            throw new DataValidationException(file + ": no sheet named '" + options.sheet() + "'");
        } catch (IOException | OpenXML4JException | SAXException | ParserConfigurationException e) {
            throw new DataValidationException(file + ": not a readable XLSX workbook (" + e.getMessage() + ")");
        }
    }

    private static ImportSource read(Connection c, Path file, ImportOptions options, String table,
            ReadOnlySharedStringsTable strings, StylesTable styles, InputStream sheet)
            throws SQLException, IOException, SAXException, ParserConfigurationException {
        RowSink sink = new RowSink(c, file, table, options.header());
        XMLReader xml = XMLHelper.newXMLReader();
        xml.setContentHandler(new XSSFSheetXMLHandler(styles, null, strings, sink, new IsoDateFormatter(), false));
        try {
            xml.parse(new InputSource(sheet));
        } catch (AppendFailed e) {
            throw (SQLException) e.getCause();
        } finally {
            sink.close();
        }
        if (sink.columns == null) {
            throw new DataValidationException(file + ": the sheet is empty");
        }
        return ImportSource.stagedTable(file, table, sink.columns, "line", sink.hasHeader);
    }

    /** Formats date cells as ISO timestamps instead of the workbook's display format. */
    private static final class IsoDateFormatter extends DataFormatter {
        private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

        @Override
        public String formatRawCellContents(double value, int formatIndex, String formatString, boolean use1904Windowing) {
            if (DateUtil.isADateFormat(formatIndex, formatString) && DateUtil.isValidExcelDate(value)) {
                return DateUtil.getLocalDateTime(value, use1904Windowing).format(ISO);
            }
            return super.formatRawCellContents(value, formatIndex, formatString, use1904Windowing);
        }
    }

    /** Carries an Appender failure out of POI's callback, which cannot throw checked exceptions. */
    private static final class AppendFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        AppendFailed(SQLException cause) {
            super(cause);
        }
    }

    /** Receives rows from POI and appends them; the first row decides the columns. */
    private static final class RowSink implements XSSFSheetXMLHandler.SheetContentsHandler {
        private final Connection connection;
        private final Path file;
        private final String table;
        private final Boolean header;
        private List<String> columns;
        private DuckDBAppender appender;
        private final List<String> row = new ArrayList<>();

        RowSink(Connection connection, Path file, String table, Boolean header) {
            this.connection = connection;
            this.file = file;
            this.table = table;
            this.header = header;
        }

        @Override
        public void startRow(int rowNum) {
            row.clear();
        }

        @Override
        public void cell(String ref, String value, XSSFComment comment) {
            // The r attribute is optional (ECMA-376): without it a cell is the one after the previous cell of its row.
            int col = ref == null ? row.size() : new CellReference(ref).getCol();
            while (row.size() < col) {
                row.add(null);
            }
            row.add(value == null || value.isBlank() ? null : value);
        }

        @Override
        public void endRow(int rowNum) {
            if (row.stream().allMatch(v -> v == null)) {
                return;
            }
            try {
                if (columns == null) {
                    start();
                    if (!hasHeader) {
                        append(rowNum);
                    }
                    return;
                }
                append(rowNum);
            } catch (SQLException e) {
                throw new AppendFailed(e);
            }
        }

        private boolean hasHeader;

        private void start() throws SQLException {
            hasHeader = header != null ? header : row.stream().allMatch(v -> v != null && !v.matches("[-+]?[0-9][0-9.,]*"));
            columns = new ArrayList<>();
            for (int i = 0; i < row.size(); i++) {
                columns.add(hasHeader ? (row.get(i) == null ? String.valueOf(i + 1) : row.get(i)) : String.valueOf(i + 1));
            }
            StringBuilder ddl = new StringBuilder("CREATE TEMP TABLE ").append(ImportSource.quote(table)).append(" (line BIGINT");
            for (int i = 1; i <= columns.size(); i++) {
                ddl.append(", c").append(i).append(" VARCHAR");
            }
            try (Statement st = connection.createStatement()) {
                st.execute(ddl.append(')').toString());
            }
            appender = ((DuckDBConnection) connection).createAppender("temp", "main", table);
        }

        private void append(int rowNum) throws SQLException {
            if (row.size() > columns.size()) {
                throw new DataValidationException(file + ":" + (rowNum + 1) + ":" + (columns.size() + 1)
                        + ": cell beyond the last column of the first row (" + row.get(columns.size()) + ")");
            }
            appender.beginRow();
            appender.append((long) rowNum + 1);
            Iterator<String> it = row.iterator();
            for (int i = 0; i < columns.size(); i++) {
                String v = it.hasNext() ? it.next() : null;
                if (v == null) {
                    appender.appendNull();
                } else {
                    appender.append(v);
                }
            }
            appender.endRow();
        }

        void close() throws SQLException {
            if (appender != null) {
                appender.close();
            }
        }
    }
}
