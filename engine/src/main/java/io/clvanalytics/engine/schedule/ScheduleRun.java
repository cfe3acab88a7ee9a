package io.clvanalytics.engine.schedule;

import java.time.Instant;

/**
 * One run: the slot it stands for, its status, attempts, timing and, when it failed or was skipped, why.
 *
 * @param trigger {@code schedule} for a slot of the recurrence, {@code manual} for "run now"
 */
public record ScheduleRun(String id, String scheduleId, Instant slot, String trigger, RunStatus status, int attempts,
        Instant nextAttempt, Instant started, Instant finished, Long durationMillis, String error, String note) {}
