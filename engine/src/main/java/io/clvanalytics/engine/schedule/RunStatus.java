package io.clvanalytics.engine.schedule;

/** The state of one run (one slot of one schedule). */
public enum RunStatus {
    /** Claimed, not started yet (or an interrupted run waiting to be redone). */
    PENDING,
    /** An attempt is under way. */
    RUNNING,
    /** An attempt failed; another follows at {@code nextAttempt}. */
    RETRYING,
    /** Files archived (mail, if any, is recorded per delivery). */
    SUCCEEDED,
    /** Every attempt failed; {@code error} says why. */
    FAILED,
    /** Not run: missed by policy, or empty with skip-if-empty. */
    SKIPPED;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether the run will not change any more. */
    public boolean finished() {
        return this == SUCCEEDED || this == FAILED || this == SKIPPED;
    }
}
