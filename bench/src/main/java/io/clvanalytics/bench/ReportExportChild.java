package io.clvanalytics.bench;

import io.clvanalytics.engine.Engine;
import io.clvanalytics.engine.jasper.ReportFormat;
import io.clvanalytics.engine.jasper.ReportRenderer;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.streaming.SXSSFSheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

/**
 * One export of the report benchmark, run in its own JVM (the benchmark starts it with {@code -Xmx512m}):
 * {@code xlsx} or {@code pdf} renders the customer-list template; {@code sxssf} writes the same rows
 * and columns with POI's streaming workbook (number formats, frozen header, autofilter), the baseline.
 * Prints {@code seconds=... rows=... peak=...} on its last line.
 */
public final class ReportExportChild {

    /** The customer list's rows and columns, as the clv query customer_scores returns them. */
    static final String ROWS_SQL = """
            WITH s AS (SELECT * FROM customer_scores WHERE run_id = (SELECT run_id FROM customer_scores GROUP BY run_id
                                                                     ORDER BY max(scored_at) DESC, run_id DESC LIMIT 1)),
                 r AS (SELECT * FROM retention_scores WHERE retention_run_id = (SELECT max(retention_run_id) FROM retention_scores))
            SELECT c.source_id, c.name, coalesce(r.segment, c.segment), coalesce(r.status, c.status), r.risk_level,
                   s.clv, s.expected_purchases, s.p_alive, c.last_transaction_date, r.action
            FROM customers c LEFT JOIN s ON s.customer_id = c.id LEFT JOIN r ON r.customer_id = c.id
            ORDER BY s.clv DESC NULLS LAST, c.source_id
            """;

    private ReportExportChild() {}

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path store = Path.of(args[1]);
        Path out = Path.of(args[2]);
        long rows;
        double seconds;
        long peak;
        try (Engine engine = Engine.open(store); HeapSampler heap = HeapSampler.start()) {
            long t0 = System.nanoTime();
            rows = switch (mode) {
                case "xlsx", "pdf" -> render(engine, ReportFormat.named(mode).orElseThrow(), out);
                case "sxssf" -> sxssf(engine, out);
                default -> throw new IllegalArgumentException("mode must be xlsx, pdf or sxssf: " + mode);
            };
            seconds = (System.nanoTime() - t0) / 1e9;
            heap.close();
            peak = heap.peakBytes();
        }
        System.out.printf(Locale.ROOT, "seconds=%.3f rows=%d peak=%d%n", seconds, rows, peak);
    }

    private static long render(Engine engine, ReportFormat format, Path out) throws Exception {
        try (OutputStream os = Files.newOutputStream(out)) {
            ReportRenderer.of(engine).render("customer-list", format, Map.of(), os);
        }
        try (Connection c = engine.connect(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM customers")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static long sxssf(Engine engine, Path out) throws Exception {
        long rows = 0;
        try (Connection c = engine.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(ROWS_SQL);
                SXSSFWorkbook wb = new SXSSFWorkbook(200)) {
            SXSSFSheet sheet = wb.createSheet("Customers");
            CellStyle money = wb.createCellStyle();
            money.setDataFormat(wb.createDataFormat().getFormat("$#,##0.00"));
            CellStyle number = wb.createCellStyle();
            number.setDataFormat(wb.createDataFormat().getFormat("#,##0.00"));
            CellStyle percent = wb.createCellStyle();
            percent.setDataFormat(wb.createDataFormat().getFormat("0.0%"));
            CellStyle date = wb.createCellStyle();
            date.setDataFormat(wb.createDataFormat().getFormat("yyyy-mm-dd"));
            String[] header = {"Customer", "Name", "Segment", "Status", "Risk", "CLV", "Exp. purchases", "P(alive)", "Last purchase", "Recommended action"};
            Row h = sheet.createRow(0);
            for (int i = 0; i < header.length; i++) {
                h.createCell(i).setCellValue(header[i]);
            }
            sheet.createFreezePane(0, 1);
            CellStyle[] styles = {null, null, null, null, null, money, number, percent, date, null};
            int r = 1;
            while (rs.next()) {
                Row row = sheet.createRow(r++);
                for (int i = 0; i < header.length; i++) {
                    Object v = rs.getObject(i + 1);
                    if (v == null) {
                        continue;
                    }
                    Cell cell = row.createCell(i);
                    if (v instanceof Number n) {
                        cell.setCellValue(n.doubleValue());
                    } else if (v instanceof java.util.Date || v instanceof java.time.LocalDate) {
                        cell.setCellValue(rs.getDate(i + 1));
                    } else {
                        cell.setCellValue(v.toString());
                    }
                    if (styles[i] != null) {
                        cell.setCellStyle(styles[i]);
                    }
                }
                rows++;
            }
            sheet.setAutoFilter(new CellRangeAddress(0, r - 1, 0, header.length - 1));
            try (OutputStream os = Files.newOutputStream(out)) {
                wb.write(os);
            }
            wb.dispose();
        }
        return rows;
    }
}
