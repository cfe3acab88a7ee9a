package io.clvanalytics.engine.retention;

import io.clvanalytics.engine.DataValidationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names a segment for each of the 25 cells of the recency × frequency grid (R and F scored 1–5).
 *
 * <p>The {@link #standard() standard map} is the widely used R×F grid (as in the R {@code rfm}
 * package's segment table and the "RFM segmentation grid" of marketing practice):
 * <pre>
 *           F=1             F=2             F=3                 F=4              F=5
 * R=5  new customers  potential loyalists potential loyalists  champions        champions
 * R=4  promising      potential loyalists potential loyalists  loyal customers  loyal customers
 * R=3  about to sleep about to sleep      need attention       loyal customers  loyal customers
 * R=2  hibernating    hibernating         at risk              at risk          can't lose them
 * R=1  hibernating    hibernating         at risk              at risk          can't lose them
 * </pre>
 * A map is written as lines {@code RF=segment} where R and F are a digit or a range such as
 * {@code [1-2]}, e.g. {@code [1-2][1-2]=hibernating}; every cell must be named exactly once.
 */
public final class SegmentMap {

    /** The standard grid as text, in the format {@link #parse(String, String)} reads. */
    public static final String STANDARD_TEXT = String.join("\n",
            "5[4-5]=champions",
            "[3-4][4-5]=loyal customers",
            "[4-5][2-3]=potential loyalists",
            "51=new customers",
            "41=promising",
            "33=need attention",
            "3[1-2]=about to sleep",
            "[1-2][3-4]=at risk",
            "[1-2]5=can't lose them",
            "[1-2][1-2]=hibernating");

    private static final Pattern LINE = Pattern.compile("(\\d|\\[(\\d)-(\\d)])(\\d|\\[(\\d)-(\\d)])\\s*=\\s*(.+)");

    private final String[][] cells;

    private SegmentMap(String[][] cells) {
        this.cells = cells;
    }

    /** The standard R×F grid shown in the class comment. */
    public static SegmentMap standard() {
        return parse(STANDARD_TEXT, "standard segment map");
    }

    /**
     * Reads a map; {@code source} names it in errors ({@code source:line: rule (value)}).
     *
     * @throws DataValidationException when a line is malformed, a cell is named twice or a cell is left out
     */
    public static SegmentMap parse(String text, String source) {
        String[][] cells = new String[6][6];
        List<String> problems = new ArrayList<>();
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                problems.add(source + ":" + (i + 1) + ": expected RF=segment with R and F a digit 1-5 or a range like [1-2] (" + line + ")");
                continue;
            }
            int[] r = range(m.group(1), m.group(2), m.group(3));
            int[] f = range(m.group(4), m.group(5), m.group(6));
            String name = m.group(7).strip();
            if (r[0] < 1 || r[1] > 5 || r[0] > r[1] || f[0] < 1 || f[1] > 5 || f[0] > f[1]) {
                problems.add(source + ":" + (i + 1) + ": scores must lie in 1-5 with ranges low-high (" + line + ")");
                continue;
            }
            for (int rr = r[0]; rr <= r[1]; rr++) {
                for (int ff = f[0]; ff <= f[1]; ff++) {
                    if (cells[rr][ff] != null) {
                        problems.add(source + ":" + (i + 1) + ": cell R=" + rr + " F=" + ff + " is already named '" + cells[rr][ff] + "' (" + line + ")");
                    } else {
                        cells[rr][ff] = name;
                    }
                }
            }
        }
        for (int rr = 1; rr <= 5; rr++) {
            for (int ff = 1; ff <= 5; ff++) {
                if (cells[rr][ff] == null && problems.isEmpty()) {
                    problems.add(source + ": cell R=" + rr + " F=" + ff + " has no segment (every one of the 25 cells must be named)");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new DataValidationException(source + ": invalid segment map", problems);
        }
        return new SegmentMap(cells);
    }

    private static int[] range(String whole, String lo, String hi) {
        if (lo == null) {
            int v = Integer.parseInt(whole);
            return new int[] {v, v};
        }
        return new int[] {Integer.parseInt(lo), Integer.parseInt(hi)};
    }

    /** The segment of the cell R = {@code r}, F = {@code f} (both 1–5). */
    public String segment(int r, int f) {
        return cells[r][f];
    }

    /** The distinct segment names in grid order (best recency first). */
    public List<String> segments() {
        Map<String, Boolean> seen = new LinkedHashMap<>();
        for (int rr = 5; rr >= 1; rr--) {
            for (int ff = 5; ff >= 1; ff--) {
                seen.put(cells[rr][ff], true);
            }
        }
        return List.copyOf(seen.keySet());
    }
}
