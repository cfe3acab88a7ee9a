package io.clvanalytics.server.web;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/**
 * How pages write numbers: one place so every page says the same thing the same way. A missing
 * value is written as an em dash. Text returned here is plain; templates escape it.
 */
public final class Fmt {

    /** What pages show where a value does not exist (not scored yet, no data). */
    public static final String NONE = "—";

    private Fmt() {}

    private static DecimalFormat pattern(String p) {
        return new DecimalFormat(p, DecimalFormatSymbols.getInstance(Locale.US));
    }

    /** A money amount, no currency sign: {@code 12,345.68}; above a million {@code 1.23M}. */
    public static String money(Double v) {
        if (v == null || v.isNaN()) {
            return NONE;
        }
        if (Math.abs(v) >= 1_000_000) {
            return pattern("#,##0.00").format(v / 1_000_000) + "M";
        }
        return pattern("#,##0.00").format(v);
    }

    /** A count: {@code 12,345}. */
    public static String count(Number v) {
        return v == null ? NONE : pattern("#,##0").format(v.longValue());
    }

    /** A share in [0, 1] as a percentage with one decimal: {@code 42.5 %}. */
    public static String pct(Double v) {
        return v == null || v.isNaN() ? NONE : pattern("0.0").format(v * 100) + " %";
    }

    /** A number with up to {@code decimals} decimals. */
    public static String num(Double v, int decimals) {
        return v == null || v.isNaN() ? NONE : pattern(decimals == 0 ? "#,##0" : "#,##0." + "#".repeat(decimals)).format(v);
    }

    /** Any value as text, {@link #NONE} for null or blank. */
    public static String text(Object v) {
        return v == null || v.toString().isBlank() ? NONE : v.toString();
    }

    /**
     * A clause as a sentence: first letter upper case, a full stop at the end ("every customer with CLV" →
     * "Every customer with CLV."). The engine's descriptions are clauses, as the CLI lists them after a name.
     */
    public static String sentence(String clause) {
        String s = clause == null ? "" : clause.strip();
        if (s.isEmpty()) {
            return s;
        }
        s = Character.toUpperCase(s.charAt(0)) + s.substring(1);
        return s.endsWith(".") ? s : s + ".";
    }

    /** The change from {@code previous} to {@code current} as a signed percentage, {@code +4.2 %}. */
    public static String change(Double current, Double previous) {
        if (current == null || previous == null || previous == 0) {
            return NONE;
        }
        double c = current / previous - 1;
        return (c >= 0 ? "+" : "") + pattern("0.0").format(c * 100) + " %";
    }

    /** {@code up}, {@code down} or {@code flat}: the CSS class of a change badge. */
    public static String direction(Double current, Double previous) {
        if (current == null || previous == null || previous == 0 || current.equals(previous)) {
            return "flat";
        }
        return current > previous ? "up" : "down";
    }

    /** {@code v} encoded as one URL path segment (ids may hold spaces, slashes or question marks). */
    public static String seg(String v) {
        return java.net.URLEncoder.encode(v == null ? "" : v, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
