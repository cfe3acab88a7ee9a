package io.clvanalytics.engine.jasper;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Date;
import java.util.Locale;

/**
 * One parameter a {@link NamedQuery} accepts, with the type its value is converted to before it is
 * bound to the prepared statement. A missing or blank value binds SQL {@code NULL}, which every
 * named query reads as "no filter" or "the default".
 */
public record QueryParameter(String name, Type type, String description) {

    /** The SQL types a query parameter can have. */
    public enum Type {
        TEXT, NUMBER, INTEGER, DATE;

        /** The display name used in the query language reference. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Converts a value from a report parameter (any type) or a literal in the query text (a
     * string) to this parameter's JDBC type; {@code null} and blank text give {@code null}.
     *
     * @throws IllegalArgumentException naming the parameter and the rule when the value does not fit
     */
    public Object convert(Object value) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            return null;
        }
        try {
            return switch (type) {
                case TEXT -> value.toString();
                case NUMBER -> value instanceof Number n ? n.doubleValue() : new BigDecimal(value.toString().trim()).doubleValue();
                case INTEGER -> value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
                case DATE -> toDate(value);
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("parameter " + name + " must be " + article() + " " + type.label()
                    + " (got \"" + value + "\")", e);
        }
    }

    private static java.sql.Date toDate(Object value) {
        if (value instanceof java.sql.Date d) {
            return d;
        }
        if (value instanceof Date d) {
            return new java.sql.Date(d.getTime());
        }
        if (value instanceof LocalDate d) {
            return java.sql.Date.valueOf(d);
        }
        return java.sql.Date.valueOf(LocalDate.parse(value.toString().trim()));
    }

    private String article() {
        return type == Type.INTEGER ? "an" : "a";
    }
}
