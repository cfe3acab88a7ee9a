package io.clvanalytics.engine.quality;

import java.sql.SQLException;
import java.util.Map;

/**
 * One data-quality check: a name, what it measures and how bad a failure is, default thresholds
 * and parameters, and a set-based measurement over the store.
 *
 * <p>Contract: {@link #measure(CheckContext)} runs SQL over whole tables (never row-by-row Java
 * loops) on {@code ctx.connection()}, reads transactions through the window view {@link
 * CheckContext#TX} and its parameters from {@code ctx}; it changes no data. Its metric is "higher
 * is worse" and is compared with the thresholds by the runner, not by the check.
 */
public interface QualityCheck {

    /** Unique dotted name, {@code category.what} (e.g. {@code uniqueness.duplicate_lines}). */
    String name();

    Category category();

    Severity severity();

    /** One sentence for users: what offends this check. */
    String description();

    /** The metric's unit ({@code rows}, {@code %}, {@code days}...). */
    String unit();

    Thresholds defaultThresholds();

    /** Parameters the check reads, with their defaults (numbers or ISO dates as text). */
    default Map<String, Object> defaultParams() {
        return Map.of();
    }

    Measurement measure(CheckContext ctx) throws SQLException;
}
