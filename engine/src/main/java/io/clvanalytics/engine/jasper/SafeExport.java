package io.clvanalytics.engine.jasper;

import java.util.Locale;
import java.util.regex.Pattern;
import net.sf.jasperreports.engine.JRException;
import net.sf.jasperreports.engine.JRPrintHyperlink;
import net.sf.jasperreports.engine.JRPrintText;
import net.sf.jasperreports.engine.JasperReportsContext;
import net.sf.jasperreports.engine.export.HtmlExporter;
import net.sf.jasperreports.engine.export.JRCsvMetadataExporter;
import net.sf.jasperreports.engine.export.JRExporterGridCell;
import net.sf.jasperreports.engine.export.ooxml.JRXlsxExporter;

/**
 * The rules that keep exported data inert and whole: links only to http(s) and mailto, CSV cells that a
 * spreadsheet would run as a formula made plain text, and data cells (CSV, XLSX) holding the whole value
 * of a text the layout cut at its box.
 */
final class SafeExport {

    private static final Pattern PLAIN_NUMBER = Pattern.compile("[-+]?[0-9][0-9,]*(\\.[0-9]+)?([eE][-+]?[0-9]+)?%?");

    private SafeExport() {}

    /** Whether a link target may be written: http, https and mailto only. */
    static boolean allowedLink(String url) {
        if (url == null) {
            return false;
        }
        String u = url.strip().toLowerCase(Locale.ROOT);
        return u.startsWith("http://") || u.startsWith("https://") || u.startsWith("mailto:");
    }

    /**
     * The CSV text of a cell: text a spreadsheet reads as a formula (starting with {@code =},
     * {@code +}, {@code -}, {@code @}, tab or carriage return, per OWASP "CSV injection") gets a
     * leading apostrophe; plain numbers such as {@code -12.5} stay numbers.
     */
    static String neutraliseCsv(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        char first = text.charAt(0);
        boolean risky = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
        return risky && !PLAIN_NUMBER.matcher(text).matches() ? "'" + text : text;
    }

    /** HTML export that drops links other than http(s) and mailto. */
    static final class Html extends HtmlExporter {
        Html(JasperReportsContext context) {
            super(context);
        }

        @Override
        protected String getHyperlinkURL(JRPrintHyperlink link) {
            String url = super.getHyperlinkURL(link);
            return allowedLink(url) ? url : null;
        }
    }

    /** CSV of the columns a template marks with {@code net.sf.jasperreports.export.csv.column.name}, neutralised. */
    static final class Csv extends JRCsvMetadataExporter {
        Csv(JasperReportsContext context) {
            super(context);
        }

        @Override
        protected String prepareText(String source) {
            return super.prepareText(neutraliseCsv(source));
        }
    }

    /**
     * XLSX whose text cells hold the whole value: the fill keeps the full text of a cut text
     * ({@code net.sf.jasperreports.print.keep.full.text}) and JasperReports' XLSX exporter would still
     * write only what fitted the box; a spreadsheet cell has no box, so the cut is undone.
     */
    static final class Xlsx extends JRXlsxExporter {
        Xlsx(JasperReportsContext context) {
            super(context);
        }

        @Override
        public void exportText(JRPrintText text, JRExporterGridCell cell, int colIndex, int rowIndex) throws JRException {
            text.setTextTruncateIndex(null);
            super.exportText(text, cell, colIndex, rowIndex);
        }
    }
}
