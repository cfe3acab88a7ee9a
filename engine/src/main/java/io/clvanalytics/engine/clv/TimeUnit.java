package io.clvanalytics.engine.clv;

import java.util.Locale;

/**
 * The unit model times are measured in. Weeks are days / 7 and months days / (365.25 / 12), as
 * lifetimes' {@code freq='D'} with a multiplier. {@link #periodsPerMonth()} is lifetimes' factor
 * for monthly CLV discounting ({@code {"W": 4.345, "M": 1.0, "D": 30}}), kept so our CLV matches it.
 */
public enum TimeUnit {
    DAY(1, 30),
    WEEK(7, 4.345),
    MONTH(365.25 / 12, 1);

    private final double days;
    private final double periodsPerMonth;

    TimeUnit(double days, double periodsPerMonth) {
        this.days = days;
        this.periodsPerMonth = periodsPerMonth;
    }

    /** Length of one unit in days. */
    public double days() {
        return days;
    }

    /** Units per month in the CLV discounting (lifetimes' factor). */
    public double periodsPerMonth() {
        return periodsPerMonth;
    }

    /** Lower-case name: {@code day}, {@code week}, {@code month}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TimeUnit parse(String s) {
        for (TimeUnit u : values()) {
            if (u.label().equalsIgnoreCase(s)) {
                return u;
            }
        }
        throw new io.clvanalytics.engine.DataValidationException("--time-unit: must be day, week or month (" + s + ")");
    }
}
