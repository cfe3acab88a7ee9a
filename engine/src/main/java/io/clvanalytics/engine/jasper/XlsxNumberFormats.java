package io.clvanalytics.engine.jasper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Moves the custom number formats of a JasperReports XLSX out of Excel's built-in id range.
 *
 * <p>JasperReports 7.0.6 ({@code XlsxStyleHelper}/{@code XlsxFormatHelper}) numbers its custom formats 1, 2, 3 ...
 * and redefines id 0; ids 0-163 are Excel's built-in formats, so Excel offers to "repair" such a workbook. No
 * exporter setting changes that and the helpers are private to the exporter, hence this rewrite of
 * {@code xl/styles.xml}: custom format k becomes 163 + k (in {@code numFmts} and in every cell format that uses
 * it) and the redefinition of General (id 0) is dropped. Every other part is copied unchanged.
 */
final class XlsxNumberFormats {

    /** The first id Excel leaves to custom number formats. */
    static final int FIRST_CUSTOM_ID = 164;

    private static final String STYLES = "xl/styles.xml";
    private static final Pattern GENERAL_REDEFINED = Pattern.compile("<numFmt numFmtId=\"0\" formatCode=\"General\"/>\\s*");
    private static final Pattern FORMAT_ID = Pattern.compile("(<numFmt numFmtId=\"|<xf numFmtId=\")(\\d+)\"");

    private XlsxNumberFormats() {}

    /** Writes {@code xlsx} (a whole workbook as JasperReports wrote it) to {@code out} with its format ids moved. */
    static void renumber(byte[] xlsx, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(xlsx))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                byte[] content = in.readAllBytes();
                if (STYLES.equals(e.getName())) {
                    content = styles(new String(content, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                }
                zip.putNextEntry(new ZipEntry(e.getName()));
                zip.write(content);
                zip.closeEntry();
            }
        }
        zip.finish();
    }

    /** The styles part with custom ids from {@link #FIRST_CUSTOM_ID}; id 0 (General) stays built-in. */
    static String styles(String xml) {
        String s = GENERAL_REDEFINED.matcher(xml).replaceAll("");
        Matcher m = FORMAT_ID.matcher(s);
        StringBuilder sb = new StringBuilder(s.length() + 64);
        while (m.find()) {
            int id = Integer.parseInt(m.group(2));
            int moved = id == 0 ? 0 : FIRST_CUSTOM_ID - 1 + id;
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + moved + "\""));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
