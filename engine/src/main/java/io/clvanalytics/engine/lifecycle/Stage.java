package io.clvanalytics.engine.lifecycle;

import io.clvanalytics.engine.DataValidationException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The lifecycle stages, in the order a product normally passes through them. */
public enum Stage {
    INTRODUCTION, GROWTH, MATURITY, DECLINE, DISCONTINUED;

    /** The name stored in {@code products.lifecycle_stage} and shown to users. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a stored or user-given stage name; {@code field} names the input in the error. */
    public static Stage parse(String value, String field) {
        for (Stage s : values()) {
            if (s.label().equalsIgnoreCase(value == null ? "" : value.trim())) {
                return s;
            }
        }
        throw new DataValidationException(field + ": unknown lifecycle stage (" + value + "); expected one of "
                + Arrays.stream(values()).map(Stage::label).collect(Collectors.joining(", ")));
    }
}
