package io.clvanalytics.engine.retention;

import java.time.LocalDate;
import java.util.List;

/**
 * Kaplan-Meier survival of customers, overall and per group. Time is days from a customer's first
 * purchase to their last purchase; the event is churn (no purchase in the {@code inactivityDays}
 * before {@code asOf}); a customer still active is censored at their last purchase, the lifetime
 * known so far. Customers who never returned churn at day 0, so S(0) below 1 is the share that
 * came back at least once or is still within the window.
 *
 * @param groupBy {@code none}, {@code segment} (of the latest retention run) or {@code cohort}
 * @param comparison the log-rank test between two groups (null when fewer than two groups)
 */
public record SurvivalReport(LocalDate asOf, int inactivityDays, String groupBy, Group overall, List<Group> groups,
                             LogRankTest.Result comparison) {

    /** One group's curve; {@code counts} are its events and censorings per day, as fitted. */
    public record Group(String name, KaplanMeier.Curve curve, List<KaplanMeier.Counts> counts) {}
}
