package io.clvanalytics.server.store;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Map;

/**
 * One row of a named query, by lower-case column name. Accessors answer {@code null} for SQL NULL
 * and for columns the query does not have, so a page shows "no value" instead of failing.
 */
public record Row(Map<String, Object> values) {

    public Row {
        values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
    }

    /** The raw value of {@code column}. */
    public Object get(String column) {
        return values.get(column);
    }

    /** The value as text, {@code null} when absent. */
    public String text(String column) {
        Object v = values.get(column);
        return v == null ? null : v.toString();
    }

    /** The value as a double, {@code null} when absent or not a number. */
    public Double num(String column) {
        return values.get(column) instanceof Number n ? n.doubleValue() : null;
    }

    /** The value as a long, {@code null} when absent or not a number. */
    public Long count(String column) {
        return values.get(column) instanceof Number n ? n.longValue() : null;
    }

    /** The value as a date (a timestamp gives its date), {@code null} when absent. */
    public LocalDate date(String column) {
        Object v = values.get(column);
        if (v instanceof LocalDate d) {
            return d;
        }
        if (v instanceof LocalDateTime t) {
            return t.toLocalDate();
        }
        if (v instanceof java.sql.Date d) {
            return d.toLocalDate();
        }
        return v instanceof java.sql.Timestamp t ? t.toLocalDateTime().toLocalDate() : null;
    }
}
