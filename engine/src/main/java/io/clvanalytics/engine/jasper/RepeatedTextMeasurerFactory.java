package io.clvanalytics.engine.jasper;

import java.text.AttributedCharacterIterator.Attribute;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import net.sf.jasperreports.engine.JRCommonText;
import net.sf.jasperreports.engine.JasperReportsContext;
import net.sf.jasperreports.engine.fill.JRMeasuredText;
import net.sf.jasperreports.engine.fill.JRTextMeasurer;
import net.sf.jasperreports.engine.fill.TextMeasurerFactory;
import net.sf.jasperreports.engine.fonts.FontUtil;
import net.sf.jasperreports.engine.util.JRStyledText;
import net.sf.jasperreports.engine.util.JRTextMeasurerFactory;

/**
 * JasperReports' own text measurer, remembering its answers per text element: a list repeats the same
 * segment, status, risk, action, date or percentage in thousands of rows, and measuring each with AWT
 * text layout was the largest single cost of filling the 100,000-row customer list. An answer is
 * reused only for the same element, the same text with the same single style run (font, size, colour
 * and every other attribute), locale, available height and flags, so it is the answer the measurer
 * would give again. Continuations of a split text and styled (multi-run) texts are always measured.
 * Registered for the engine's fills through {@code net.sf.jasperreports.text.measurer.factory}.
 */
public final class RepeatedTextMeasurerFactory implements JRTextMeasurerFactory {

    /** Distinct texts remembered per element; the least recently used are forgotten first. */
    static final int TEXTS_PER_ELEMENT = 2048;

    private final TextMeasurerFactory measurers = new TextMeasurerFactory();

    @Override
    public JRTextMeasurer createMeasurer(JasperReportsContext context, JRCommonText text) {
        return new Remembering(measurers.createMeasurer(context, text));
    }

    @Override
    public JRTextMeasurer createMeasurer(FontUtil fontUtil, JRCommonText text) {
        return new Remembering(measurers.createMeasurer(fontUtil, text));
    }

    private record Key(String text, int availableHeight, boolean indentFirstLine, boolean canOverflow) {}

    /** A copy of a measurement: the measurer may reuse its own result object for the next text. */
    private record Measured(float getLeadingOffset, float getLineSpacingFactor, float getTextWidth, float getAverageCharWidth,
            float getTextHeight, int getTextOffset, boolean isLeftToRight, boolean isParagraphCut, String getTextSuffix,
            short[] lineBreakOffsets) implements JRMeasuredText {

        static Measured of(JRMeasuredText m) {
            short[] breaks = m.getLineBreakOffsets();
            return new Measured(m.getLeadingOffset(), m.getLineSpacingFactor(), m.getTextWidth(), m.getAverageCharWidth(),
                    m.getTextHeight(), m.getTextOffset(), m.isLeftToRight(), m.isParagraphCut(), m.getTextSuffix(),
                    breaks == null ? null : breaks.clone());
        }

        @Override
        public short[] getLineBreakOffsets() {
            return lineBreakOffsets == null ? null : lineBreakOffsets.clone();
        }
    }

    /**
     * Remembers the answers for one style at a time (an element's style rarely changes between rows; when
     * it does, the answers are forgotten), so a lookup hashes only the text.
     */
    private static final class Remembering implements JRTextMeasurer {
        private final JRTextMeasurer measurer;
        private final Map<Key, Measured> answers = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Measured> eldest) {
                return size() > TEXTS_PER_ELEMENT;
            }
        };
        private Map<Attribute, Object> lastAttributes;
        private Map<Attribute, Object> style = Map.of();
        private Locale locale;

        Remembering(JRTextMeasurer measurer) {
            this.measurer = measurer;
        }

        @Override
        public JRMeasuredText measure(JRStyledText styledText, int remainingTextStart, int availableStretchHeight,
                boolean indentFirstLine, boolean canOverflow) {
            String text = styledText.getText();
            if (remainingTextStart != 0 || styledText.getRuns().size() != 1 || text.length() > 200
                    || styledText.getRuns().get(0).startIndex != 0 || styledText.getRuns().get(0).endIndex != text.length()) {
                return measurer.measure(styledText, remainingTextStart, availableStretchHeight, indentFirstLine, canOverflow);
            }
            sameStyleAs(styledText.getRuns().get(0).attributes, styledText.getLocale());
            Key key = new Key(text, availableStretchHeight, indentFirstLine, canOverflow);
            Measured known = answers.get(key);
            if (known == null) {
                known = Measured.of(measurer.measure(styledText, remainingTextStart, availableStretchHeight, indentFirstLine, canOverflow));
                answers.put(key, known);
            }
            return known;
        }

        /** Forgets the answers when the style (every attribute of the run) or the locale differs from the last one. */
        private void sameStyleAs(Map<Attribute, Object> attributes, Locale textLocale) {
            if (attributes == lastAttributes && Objects.equals(textLocale, locale)) {
                return;
            }
            if (!attributes.equals(style) || !Objects.equals(textLocale, locale)) {
                answers.clear();
                // A copy: the caller may change its map later.
                style = new HashMap<>(attributes);
                locale = textLocale;
            }
            lastAttributes = attributes;
        }
    }
}
