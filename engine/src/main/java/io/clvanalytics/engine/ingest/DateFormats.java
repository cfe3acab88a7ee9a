package io.clvanalytics.engine.ingest;

import io.clvanalytics.engine.DataValidationException;
import java.util.List;

/**
 * Date formats of the import: the user's pattern ({@code yyyyMMdd}, {@code dd/MM/yy}, a strptime
 * pattern such as {@code %d/%m/%y}, or {@code iso}), or one detected from a sample of the column.
 */
final class DateFormats {

    /** ISO 8601 dates and timestamps, parsed by DuckDB's cast. */
    static final String ISO = "iso";

    /**
     * Candidates tried on a sample, in order of preference when several parse every value: ISO and
     * year-first first (plain strptime patterns before the ISO cast, which is slower), then day-first before month-first (ambiguous all-days-≤-12 samples read
     * as day-first, and the summary names the format so the user can override it).
     */
    static final List<String> CANDIDATES = List.of("%Y-%m-%d %H:%M:%S", "%Y-%m-%d", ISO, "%Y%m%d", "%Y/%m/%d", "%Y-%m-%d %H:%M", "%d/%m/%Y", "%d.%m.%Y",
            "%d-%m-%Y", "%m/%d/%Y", "%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%m/%d/%Y %H:%M:%S",
            "%d/%m/%y", "%d.%m.%y", "%m/%d/%y", "%d/%m/%y %H:%M", "%m/%d/%y %H:%M", "%y/%m/%d", "%Y%m%d%H%M%S");

    private DateFormats() {}

    /** The SQL expression parsing {@code valueSql} (text) as a TIMESTAMP with {@code format}; its parameter is the format. */
    static String parseSql(String valueSql, String format) {
        // DuckDB's cast also reads 03/01/19 (as year 3): only text starting yyyy- is ISO.
        return ISO.equals(format)
                ? "CASE WHEN substr(trim(" + valueSql + "), 5, 1) = '-' THEN try_cast(" + valueSql + " AS TIMESTAMP) END"
                : "try_strptime(" + valueSql + ", ?)";
    }

    /** Whether {@link #parseSql} takes the format as a parameter. */
    static boolean takesParameter(String format) {
        return !ISO.equals(format);
    }

    /** Turns the user's pattern into a strptime pattern ({@code iso} and {@code %} patterns pass through). */
    static String fromUser(String pattern) {
        String p = pattern.trim();
        if (p.equalsIgnoreCase(ISO)) {
            return ISO;
        }
        if (p.contains("%")) {
            return p;
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < p.length()) {
            char ch = p.charAt(i);
            int j = i;
            while (j < p.length() && p.charAt(j) == ch) {
                j++;
            }
            int n = j - i;
            String run = p.substring(i, j);
            out.append(switch (ch) {
                case 'y' -> n == 2 ? "%y" : "%Y";
                case 'M' -> n >= 4 ? "%B" : n == 3 ? "%b" : "%m";
                case 'd' -> "%d";
                case 'H' -> "%H";
                case 'h' -> "%I";
                case 'm' -> "%M";
                case 's' -> "%S";
                case 'S' -> "%g";
                case 'a' -> "%p";
                case '\'' -> "";
                default -> {
                    if (Character.isLetter(ch)) {
                        throw new DataValidationException("--date-format: pattern letter '" + ch + "' is not supported in '"
                                + pattern + "' (use y, M, d, H, h, m, s, S, a or a strptime pattern such as %d/%m/%y)");
                    }
                    yield run;
                }
            });
            i = j;
        }
        return out.toString();
    }

    /** How a format is shown to users. */
    static String describe(String format) {
        return ISO.equals(format) ? "ISO 8601" : format;
    }
}
