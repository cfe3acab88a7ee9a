package io.clvanalytics.engine.jasper;

import com.lowagie.text.Font;
import com.lowagie.text.pdf.BaseFont;
import com.lowagie.text.pdf.PdfContentByte;
import java.awt.Color;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import net.sf.jasperreports.engine.JRCommonText;
import net.sf.jasperreports.engine.JRLineBox;
import net.sf.jasperreports.engine.JRParagraph;
import net.sf.jasperreports.engine.JRPen;
import net.sf.jasperreports.engine.JRPrintText;
import net.sf.jasperreports.engine.JasperReportsContext;
import net.sf.jasperreports.engine.type.HorizontalTextAlignEnum;
import net.sf.jasperreports.engine.type.HyperlinkTypeEnum;
import net.sf.jasperreports.engine.type.LineStyleEnum;
import net.sf.jasperreports.engine.type.ModeEnum;
import net.sf.jasperreports.engine.type.RotationEnum;
import net.sf.jasperreports.engine.type.RunDirectionEnum;
import net.sf.jasperreports.engine.type.VerticalTextAlignEnum;
import net.sf.jasperreports.engine.util.JRStyledText;
import net.sf.jasperreports.pdf.JRPdfExporter;
import net.sf.jasperreports.pdf.classic.ClassicPdfProducer;

/**
 * The PDF exporter of every report: JasperReports' own, except that a plain one-line text that fits
 * its box (the cells of a 100,000-row list) is drawn with one PDF text operator instead of through
 * OpenPDF's paragraph layout (attributed strings, bidi analysis, line breaking), which took more than
 * half of the time of a long list's PDF. The text lands where JasperReports' simple text renderer
 * puts it (same font object, so fonts stay embedded and subset; same baseline and alignment); anything
 * else (styled or multi-line text, rotation, links, anchors, translucent colours, right-to-left or
 * complex scripts, justified or centred text, text that would not fit) goes through JasperReports unchanged.
 */
final class PlainTextPdfExporter extends JRPdfExporter {

    /**
     * What a text's template says about drawing it plainly: the font (null when it cannot be drawn
     * plainly) and, when its only border is a solid bottom line, that line's width and colour.
     * Keyed by the template's line box, which every print element of one template shares.
     */
    private record Look(BaseFont font, Color background, float bottomWidth, Color bottomColor, boolean onlyBottomBorder) {}

    private static final Look NOT_PLAIN = new Look(null, null, 0, null, false);

    /**
     * Text element property: the exporter appends the property's value and the number of pages to the
     * text ("Page 3" becomes "Page 3 of 2858" with the value " of "). A "Page X of Y" footer evaluated
     * when the report ends makes JasperReports read every swapped-out page back and write it again.
     */
    static final String PAGE_TOTAL_PROPERTY = "io.clvanalytics.pdf.append.page.total";

    private final Map<JRLineBox, Look> looks = new IdentityHashMap<>();
    private final Map<String, BaseFont> fonts = new HashMap<>();

    PlainTextPdfExporter(JasperReportsContext context) {
        super(context);
    }

    @Override
    public void exportText(JRPrintText text) {
        if (!(pdfProducer instanceof ClassicPdfProducer producer) || !drawPlain(text, producer)) {
            super.exportText(text);
        }
    }

    /** Draws {@code text} directly when it is plain, one line and fits; returns false to leave it to JasperReports. */
    private boolean drawPlain(JRPrintText text, ClassicPdfProducer producer) {
        String s = text.getFullText();
        if (s != null && text.hasProperties() && text.getPropertiesMap().containsProperty(PAGE_TOTAL_PROPERTY)) {
            s = s + text.getPropertiesMap().getProperty(PAGE_TOTAL_PROPERTY) + jasperPrint.getPages().size();
        }
        if (s == null || s.isEmpty() || text.getAnchorName() != null || text.getBookmarkLevel() != 0
                || (text.getHyperlinkType() != null && text.getHyperlinkType() != HyperlinkTypeEnum.NONE) || !isSimpleLine(s)) {
            return false;
        }
        JRLineBox box = text.getLineBox();
        Look look = looks.computeIfAbsent(box, b -> look(text, producer));
        if (look.font() == null) {
            return false;
        }
        float size = text.getFontSize();
        float textWidth = look.font().getWidthPoint(s, size);
        int left = box.getLeftPadding();
        int right = box.getRightPadding();
        int top = box.getTopPadding();
        int bottom = box.getBottomPadding();
        if (textWidth > text.getWidth() - left - right
                || text.getLineSpacingFactor() * size + text.getLeadingOffset() > text.getHeight() - top - bottom + 0.01f) {
            return false;
        }
        int x = text.getX() + getOffsetX();
        int y = text.getY() + getOffsetY();
        int pageHeight = getCurrentPageFormat().getPageHeight();
        float verticalOffset = switch (text.getVerticalTextAlign()) {
            case MIDDLE -> (text.getHeight() - top - bottom - text.getTextHeight()) / 2f;
            case BOTTOM -> text.getHeight() - top - bottom - text.getTextHeight();
            default -> 0f;
        };
        // Where SimplePdfTextRenderer puts the first line: the column top less the leading offset,
        // then one line of leading (line spacing factor x font size) down to the baseline.
        float baseline = pageHeight - y - top - verticalOffset - text.getLeadingOffset() - text.getLineSpacingFactor() * size;
        float start = text.getHorizontalTextAlign() == HorizontalTextAlignEnum.RIGHT ? x + text.getWidth() - right - textWidth : x + left;
        PdfContentByte cb = producer.getPdfContentByte();
        cb.saveState();
        if (look.background() != null) {
            cb.setColorFill(look.background());
            cb.rectangle(x, pageHeight - y, text.getWidth(), -text.getHeight());
            cb.fill();
        }
        cb.beginText();
        cb.setFontAndSize(look.font(), size);
        cb.setColorFill(text.getForecolor());
        cb.setTextMatrix(start, baseline);
        cb.showText(s);
        cb.endText();
        cb.restoreState();
        if (look.onlyBottomBorder()) {
            if (look.bottomWidth() > 0f) {
                // JRPdfExporter.exportBottomPen for a solid line with no side borders: the element's width, at its bottom edge.
                float lineY = pageHeight - y - text.getHeight();
                cb.saveState();
                cb.setLineWidth(look.bottomWidth());
                cb.setLineCap(PdfContentByte.LINE_CAP_BUTT);
                cb.setColorStroke(look.bottomColor());
                cb.moveTo(x, lineY);
                cb.lineTo(x + text.getWidth(), lineY);
                cb.stroke();
                cb.restoreState();
            }
        } else {
            exportBox(box, text);
        }
        return true;
    }

    /** The template-level conditions of drawing plainly, and the font and border to draw with. */
    private Look look(JRPrintText text, ClassicPdfProducer producer) {
        JRParagraph p = text.getParagraph();
        HorizontalTextAlignEnum align = text.getHorizontalTextAlign();
        Color fore = text.getForecolor();
        Color back = text.getMode() == ModeEnum.OPAQUE ? text.getBackcolor() : null;
        boolean plain = (back == null || back.getAlpha() == 255)
                && (text.getMarkup() == null || JRCommonText.MARKUP_NONE.equals(text.getMarkup()))
                && text.getRotation() == RotationEnum.NONE
                && text.getRunDirection() == RunDirectionEnum.LTR
                && (align == HorizontalTextAlignEnum.LEFT || align == HorizontalTextAlignEnum.RIGHT)
                && text.getVerticalTextAlign() != VerticalTextAlignEnum.JUSTIFIED
                && !text.isUnderline() && !text.isStrikeThrough()
                && fore != null && fore.getAlpha() == 255
                && (p == null || (p.getFirstLineIndent() == 0 && p.getLeftIndent() == 0 && p.getRightIndent() == 0
                        && p.getSpacingBefore() == 0));
        BaseFont font = plain ? font(text, producer) : null;
        if (font == null) {
            return NOT_PLAIN;
        }
        JRLineBox box = text.getLineBox();
        JRPen bottom = box.getBottomPen();
        boolean onlyBottom = box.getTopPen().getLineWidth() == 0f && box.getLeftPen().getLineWidth() == 0f
                && box.getRightPen().getLineWidth() == 0f
                && (bottom.getLineWidth() == 0f || (bottom.getLineStyle() == LineStyleEnum.SOLID && bottom.getLineColor() != null
                        && bottom.getLineColor().getAlpha() == 255));
        return new Look(font, back, bottom.getLineWidth(), bottom.getLineColor(), onlyBottom);
    }

    /** One line of left-to-right text in simple scripts (Latin, Greek, Cyrillic), no leading or trailing blanks. */
    private static boolean isSimpleLine(String s) {
        if (Character.isWhitespace(s.charAt(0)) || Character.isWhitespace(s.charAt(s.length() - 1))) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x0590 || (c >= 0x0300 && c < 0x0370) || (c >= 0x7F && c < 0xA0)) {
                return false;
            }
        }
        return true;
    }

    /** The font JasperReports draws {@code text} with (its own lookup, once per face and style). */
    private BaseFont font(JRPrintText text, ClassicPdfProducer producer) {
        Locale locale = getTextLocale(text);
        String key = text.getFontName() + '|' + text.isBold() + '|' + text.isItalic() + '|' + locale;
        return fonts.computeIfAbsent(key, k -> {
            JRStyledText styled = styledTextUtil.getProcessedStyledText(text, noBackcolorSelector, null);
            Font f = styled == null ? null : producer.getFont(styled.getGlobalAttributes(), locale);
            // A face drawn bold or italic by simulation (no such font file) is left to JasperReports.
            return f == null || (f.getStyle() & (Font.BOLD | Font.ITALIC)) != 0 ? null : f.getBaseFont();
        });
    }
}
