package io.clvanalytics.engine.retention;

import io.clvanalytics.engine.DataValidationException;
import java.util.Locale;

/** The length of an acquisition cohort and of the periods since first purchase. */
public enum CohortUnit {
    /** Calendar months. */
    MONTH("month", "to_months", 12),
    /** ISO weeks starting on Monday. */
    WEEK("week", "to_weeks", 365.25 / 7);

    private final String sqlPart;
    private final String sqlInterval;
    private final double perYear;

    CohortUnit(String sqlPart, String sqlInterval, double perYear) {
        this.sqlPart = sqlPart;
        this.sqlInterval = sqlInterval;
        this.perYear = perYear;
    }

    /** The DuckDB function turning a number of units into an interval. */
    String sqlInterval() {
        return sqlInterval;
    }

    /** Units per year, to turn an annual discount rate into a per-period one. */
    public double perYear() {
        return perYear;
    }

    /** The DuckDB date part ({@code date_trunc}/{@code date_diff}); from this enum only, never from input. */
    String sqlPart() {
        return sqlPart;
    }

    /** Parses {@code month} or {@code week}. */
    public static CohortUnit parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new DataValidationException("--cohort-unit: must be month or week (" + text + ")");
        }
    }
}
