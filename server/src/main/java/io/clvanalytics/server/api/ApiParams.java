package io.clvanalytics.server.api;

import io.clvanalytics.server.web.HttpError;
import io.javalin.http.Context;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The query parameters of one API request, validated once at the edge: each route names the
 * parameters it takes (any other is refused), and each value is checked against its rule (an
 * allowlist, a number range, a length) before it goes anywhere near the store. Every refusal is a
 * 400 naming the field and the rule; values only ever reach SQL as bound parameters.
 */
public final class ApiParams {

    /** The longest free-text value (search, segment, status) accepted. */
    static final int MAX_TEXT = 100;

    private final Context ctx;

    private ApiParams(Context ctx) {
        this.ctx = ctx;
    }

    /** The parameters of {@code ctx}, refusing any name outside {@code allowed} and any given twice. */
    public static ApiParams of(Context ctx, Collection<String> allowed) {
        for (var e : ctx.queryParamMap().entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw HttpError.badField(e.getKey(), "unknown parameter '" + printable(e.getKey()) + "'; this address takes "
                        + (allowed.isEmpty() ? "none" : String.join(", ", new TreeSet<>(allowed))));
            }
            if (e.getValue().size() > 1) {
                throw HttpError.badField(e.getKey(), "parameter '" + e.getKey() + "' is given more than once");
            }
        }
        return new ApiParams(ctx);
    }

    /** Free text up to {@link #MAX_TEXT} characters without control characters; null when absent or blank. */
    String text(String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        if (v.length() > MAX_TEXT || v.chars().anyMatch(Character::isISOControl)) {
            throw HttpError.badField(name, name + " must be at most " + MAX_TEXT + " characters without control characters");
        }
        return v.trim();
    }

    /** One of {@code allowed} (case-insensitive, answered in lower case); null when absent. */
    String oneOf(String name, Collection<String> allowed) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        String lower = v.trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(lower)) {
            throw HttpError.badField(name, name + " must be one of " + String.join(", ", new TreeSet<>(allowed))
                    + " (got '" + printable(v) + "')");
        }
        return lower;
    }

    /** A whole number from {@code min} to {@code max}; {@code fallback} when absent. */
    int integer(String name, int min, int max, int fallback) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // answered below with the rule
        }
        throw HttpError.badField(name, name + " must be a whole number from " + min + " to " + max + " (got '" + printable(v) + "')");
    }

    /** A finite decimal number; null when absent. */
    Double number(String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (Double.isFinite(d) && !v.trim().matches(".*[a-zA-Z].*")) {
                return d;
            }
        } catch (NumberFormatException ignored) {
            // answered below with the rule
        }
        throw HttpError.badField(name, name + " must be a decimal number such as 250 or 99.5 (got '" + printable(v) + "')");
    }

    /** {@code asc} or {@code desc}; true (descending) when absent. */
    boolean descending(String name) {
        String v = oneOf(name, Set.of("asc", "desc"));
        return v == null || v.equals("desc");
    }

    /** The ids of customers and products: letters, digits and {@code . _ - : /}, 1 to 64 characters. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}");

    /** A customer or product id matching {@link #ID}; null when absent. */
    String id(String name) {
        String v = ctx.queryParam(name);
        return v == null || v.isBlank() ? null : checkId(name, v);
    }

    /** {@code value} when it matches {@link #ID}, else a 400 naming {@code field}. */
    static String checkId(String field, String value) {
        if (!ID.matcher(value).matches()) {
            throw HttpError.badField(field, field + " must be 1 to 64 letters, digits or . _ - : / starting with a letter or digit"
                    + " (got '" + printable(value) + "')");
        }
        return value;
    }

    /** {@code v} cut to 40 characters for messages (the error is JSON-encoded, never interpreted). */
    private static String printable(String v) {
        String s = v.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
