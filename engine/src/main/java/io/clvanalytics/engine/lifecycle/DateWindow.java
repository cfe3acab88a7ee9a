package io.clvanalytics.engine.lifecycle;

import io.clvanalytics.engine.DataValidationException;
import java.time.LocalDate;
import java.util.Objects;

/** An inclusive range of transaction dates, {@code from} to {@code to}. */
public record DateWindow(LocalDate from, LocalDate to) {

    public DateWindow {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (to.isBefore(from)) {
            throw new DataValidationException("date window: the end " + to + " is before the start " + from);
        }
    }

    /** The window of one calendar month. */
    public static DateWindow month(int year, int month) {
        LocalDate first = LocalDate.of(year, month, 1);
        return new DateWindow(first, first.plusMonths(1).minusDays(1));
    }
}
