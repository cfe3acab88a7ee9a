package io.clvanalytics.engine.jasper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.text.AttributedCharacterIterator.Attribute;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.sf.jasperreports.engine.DefaultJasperReportsContext;
import net.sf.jasperreports.engine.JasperReportsContext;
import net.sf.jasperreports.engine.design.JRDesignTextField;
import net.sf.jasperreports.engine.fill.JRMeasuredText;
import net.sf.jasperreports.engine.fill.JRTextMeasurer;
import net.sf.jasperreports.engine.fill.TextMeasurerFactory;
import net.sf.jasperreports.engine.fonts.FontUtil;
import net.sf.jasperreports.engine.util.JRStyledText;
import org.junit.jupiter.api.Test;

class RepeatedTextMeasurerFactoryTest {

    private final JasperReportsContext context = DefaultJasperReportsContext.getInstance();

    @Test
    void a_remembered_measurement_is_the_one_jasperreports_gives_for_every_text_and_style() {
        JRDesignTextField cell = new JRDesignTextField();
        cell.setWidth(60);
        cell.setHeight(14);
        cell.setFontName("DejaVu Sans");
        cell.setFontSize(8f);
        JRTextMeasurer remembering = new RepeatedTextMeasurerFactory().createMeasurer(context, cell);
        JRTextMeasurer fresh = new TextMeasurerFactory().createMeasurer(context, cell);
        Map<Attribute, Object> regular = FontUtil.getInstance(context).getAttributesWithoutAwtFont(new HashMap<>(), cell);
        cell.setFontSize(14f);
        Map<Attribute, Object> large = FontUtil.getInstance(context).getAttributesWithoutAwtFont(new HashMap<>(), cell);
        List<String> texts = List.of("champions", "active", "champions", "a customer name far too long for the cell", "champions",
                "a customer name far too long for the cell", "active");
        for (Map<Attribute, Object> style : List.of(regular, large, regular)) {
            for (String text : texts) {
                for (int height : new int[] {14, 40}) {
                    JRMeasuredText expected = fresh.measure(new JRStyledText(Locale.US, text, style), 0, height, false, false);
                    assertSame(expected, remembering.measure(new JRStyledText(Locale.US, text, style), 0, height, false, false),
                            text + " at " + style + ", height " + height);
                }
            }
        }
    }

    private static void assertSame(JRMeasuredText expected, JRMeasuredText actual, String what) {
        assertEquals(expected.getTextOffset(), actual.getTextOffset(), what);
        assertEquals(expected.getTextHeight(), actual.getTextHeight(), what);
        assertEquals(expected.getTextWidth(), actual.getTextWidth(), what);
        assertEquals(expected.getLineSpacingFactor(), actual.getLineSpacingFactor(), what);
        assertEquals(expected.getLeadingOffset(), actual.getLeadingOffset(), what);
        assertEquals(expected.getAverageCharWidth(), actual.getAverageCharWidth(), what);
        assertEquals(expected.isLeftToRight(), actual.isLeftToRight(), what);
        assertEquals(expected.isParagraphCut(), actual.isParagraphCut(), what);
        assertEquals(expected.getTextSuffix(), actual.getTextSuffix(), what);
        assertArrayEquals(expected.getLineBreakOffsets(), actual.getLineBreakOffsets(), what);
    }
}
